"""A small hand-built world of the deals the seed articles describe, for tests of the graph."""

from decimal import Decimal

from companies.models import Company
from deals.models import DealStatus, DealType, Qualifier

from .factories import (
    ArticleFactory,
    ChipPlatformFactory,
    CloudPlatformFactory,
    CompanyFactory,
    DealCitationFactory,
    DealFactory,
)

B = Decimal(10) ** 9
BODY = (
    "Microsoft will invest up to $5 billion in Anthropic. Nvidia will invest up to $10 billion. "
    "Anthropic commits $30 billion to Azure. OpenAI signs $38 billion with AWS. "
    "Amazon is in talks to invest $10 billion in OpenAI."
)


def build_world() -> dict:
    """Microsoft, Nvidia and Amazon money going round through Anthropic and OpenAI."""
    kind = Company.Kind
    microsoft = CompanyFactory(slug="microsoft", name="Microsoft", kind=kind.CLOUD_PROVIDER)
    nvidia = CompanyFactory(slug="nvidia", name="Nvidia", kind=kind.CHIPMAKER)
    amazon = CompanyFactory(slug="amazon", name="Amazon", kind=kind.INVESTOR)
    aws = CompanyFactory(slug="aws", name="AWS", kind=kind.CLOUD_PROVIDER, parent=amazon)
    anthropic = CompanyFactory(slug="anthropic", name="Anthropic", name_ar="أنثروبيك")
    openai = CompanyFactory(slug="openai", name="OpenAI", name_ar="أوبن إيه آي")
    azure = CloudPlatformFactory(slug="azure", name="Microsoft Azure", operator=microsoft)
    aws_cloud = CloudPlatformFactory(slug="aws-cloud", name="Amazon Web Services", operator=aws)
    blackwell = ChipPlatformFactory(slug="grace-blackwell", name="Grace Blackwell", vendor=nvidia)
    rubin = ChipPlatformFactory(slug="vera-rubin", name="Vera Rubin", vendor=nvidia)
    article = ArticleFactory(slug="alliance", title="The alliance", body=BODY)

    def deal(slug, payer, payee, deal_type, amount, qualifier, status, quote, **extra):
        made = DealFactory(
            slug=slug,
            payer=payer,
            payee=payee,
            deal_type=deal_type,
            amount_usd=amount,
            amount_qualifier=qualifier,
            status=status,
            **extra,
        )
        DealCitationFactory(deal=made, article=article, quote=quote)
        return made

    deals = {
        "ms-anthropic": deal(
            "microsoft-anthropic", microsoft, anthropic, DealType.INVESTMENT, 5 * B,
            Qualifier.UP_TO, DealStatus.ANNOUNCED,
            "Microsoft will invest up to $5 billion in Anthropic.",
        ),
        "nvidia-anthropic": deal(
            "nvidia-anthropic", nvidia, anthropic, DealType.INVESTMENT, 10 * B,
            Qualifier.UP_TO, DealStatus.ANNOUNCED, "Nvidia will invest up to $10 billion.",
        ),
        "anthropic-azure": deal(
            "anthropic-azure", anthropic, microsoft, DealType.COMPUTE_COMMITMENT, 30 * B,
            Qualifier.EXACT, DealStatus.SIGNED, "Anthropic commits $30 billion to Azure.",
            cloud=azure, power_gw=Decimal(1), power_qualifier=Qualifier.UP_TO,
        ),
        "openai-aws": deal(
            "openai-aws", openai, aws, DealType.COMPUTE_COMMITMENT, 38 * B, Qualifier.EXACT,
            DealStatus.SIGNED, "OpenAI signs $38 billion with AWS.", cloud=aws_cloud,
        ),
        "amazon-openai": deal(
            "amazon-openai", amazon, openai, DealType.INVESTMENT, 10 * B, Qualifier.ABOUT,
            DealStatus.IN_TALKS, "Amazon is in talks to invest $10 billion in OpenAI.",
        ),
    }  # fmt: skip
    deals["anthropic-azure"].chip_platforms.set([blackwell, rubin])
    return {
        "companies": {
            company.slug: company for company in (microsoft, nvidia, amazon, aws, anthropic, openai)
        },
        "deals": deals,
        "article": article,
    }
