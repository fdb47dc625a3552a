"""factory_boy factories for tests that need data shaped differently from the seed."""

import datetime
from decimal import Decimal

import factory

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.models import Article, Deal, DealCitation, DealStatus, DealType, Qualifier


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"company-{n}")
    name = factory.Sequence(lambda n: f"Company {n}")
    name_ar = factory.Sequence(lambda n: f"شركة {n}")
    kind = Company.Kind.AI_LAB


class CloudPlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CloudPlatform
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"cloud-{n}")
    name = factory.Sequence(lambda n: f"Cloud {n}")
    operator = factory.SubFactory(CompanyFactory, kind=Company.Kind.CLOUD_PROVIDER)


class ChipPlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChipPlatform
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"chip-{n}")
    name = factory.Sequence(lambda n: f"Chip {n}")
    vendor = factory.SubFactory(CompanyFactory, kind=Company.Kind.CHIPMAKER)
    kind = ChipPlatform.Kind.GPU


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    language = Article.Language.ENGLISH
    published_on = datetime.date(2025, 1, 1)
    body = "Alpha invested $1 billion in Beta. Beta will buy compute from Gamma."


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    slug = factory.Sequence(lambda n: f"deal-{n}")
    deal_type = DealType.INVESTMENT
    payer = factory.SubFactory(CompanyFactory, kind=Company.Kind.INVESTOR)
    payee = factory.SubFactory(CompanyFactory)
    amount_usd = Decimal("1000000000")
    amount_qualifier = Qualifier.EXACT
    status = DealStatus.ANNOUNCED
    announced_on = datetime.date(2025, 1, 1)


class DealCitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealCitation

    deal = factory.SubFactory(DealFactory)
    article = factory.SubFactory(ArticleFactory)
    quote = "Alpha invested $1 billion in Beta."
