"""Valuations of the most prominent synthetic labs, year by year, each cited to an article."""

# S311: the randomness is for reproducible test data, not security.
# ruff: noqa: S311

from __future__ import annotations

import datetime
import random

from companies.models import Company
from deals.formatting import format_money
from deals.models import Article, Valuation, ValuationCitation

from .shape import ARABIC_ARTICLE_SHARE, ARTICLE_SLUG, FIGURE_QUALIFIERS, YEARS, round_amount


class ValuationsMixin:
    """The valuation step of `SyntheticGenerator` (state lives on the generator)."""

    def _make_valuations(self):
        """Yearly valuations of the most prominent labs, each cited to a valuation article."""
        rng = random.Random(f"{self.seed}:valuations")
        labs = sorted(self.by_kind.get(Company.Kind.AI_LAB, []), key=lambda i: self.rank[i])
        hubs = labs[: min(max(self.n_companies // 20, 1), 10)]
        articles, valuations, citations = [], [], []
        first_article = self.ids[Article]
        for n, index in enumerate(hubs):
            company = self.companies[index]
            arabic = rng.random() < ARABIC_ARTICLE_SHARE
            years = rng.randint(3, YEARS)
            value = rng.uniform(2e8, 5e9)
            sentences, rows = [], []
            for year in range(self.until.year - years + 1, self.until.year + 1):
                value *= rng.uniform(1.3, 3.0)
                amount = round_amount(min(value, 5e12), 0)
                qualifier = rng.choices(FIGURE_QUALIFIERS[:2], [0.7, 0.3])[0]
                projection = year == self.until.year and rng.random() < 0.3
                as_of = datetime.date(year, rng.randint(1, 12), 1)
                money = format_money(amount, qualifier, "ar" if arabic else "en")
                if arabic:
                    verb = "قد تبلغ" if projection else "بلغت"
                    sentence = f"{verb} قيمة {company.name_ar} {money} في {as_of:%m/%Y}."
                else:
                    verb = "could reach" if projection else "reached"
                    sentence = f"{company.name}'s valuation {verb} {money} in {as_of:%B %Y}."
                sentences.append(sentence)
                rows.append((amount, qualifier, as_of, projection, sentence))
            article_id = first_article + n
            title = (
                f"قيمة {company.name_ar} عبر السنوات"
                if arabic
                else f"{company.name}: a valuation history"
            )
            articles.append(
                (
                    article_id,
                    ARTICLE_SLUG.format(article_id - first_article + 1),
                    title,
                    "ar" if arabic else "en",
                    rows[-1][2],
                    " ".join(sentences),
                    "",
                    "",
                    self.now,
                )
            )
            for amount, qualifier, as_of, projection, sentence in rows:
                valuation_id = self._take_ids(Valuation, 1)
                valuations.append(
                    (valuation_id, company.id, amount, qualifier, as_of, "month", projection, "")
                )
                citations.append(
                    (self._take_ids(ValuationCitation, 1), article_id, sentence, valuation_id)
                )
        self._take_ids(Article, len(articles))
        self.article_serial = len(articles)
        self._write_articles(articles)
        self.writer.write(
            Valuation,
            [
                "id",
                "company_id",
                "amount_usd",
                "amount_qualifier",
                "as_of",
                "date_precision",
                "is_projection",
                "reference_url",
            ],
            valuations,
        )
        self.writer.write(
            ValuationCitation, ["id", "article_id", "quote", "valuation_id"], citations
        )
        self.result.valuations = len(valuations)
        self.result.valuation_citations = len(citations)
