"""The deals of the synthetic data set, chunk by chunk: parties drawn from Zipf pools, Pareto
amounts, clouds and chips, a cited status row, and the articles that report them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
from django.db import reset_queries

from companies.models import Company
from deals.fields import ROW_FIELDS
from deals.models import Article, Deal, DealCitation, DealStatusChange, Qualifier

from .company_rows import PlatformRow
from .shape import (
    ARABIC_ARTICLE_SHARE,
    ARTICLE_DEALS,
    ARTICLE_SLUG,
    CHUNK,
    DEAL_SLUG,
    DEAL_TYPE_P,
    DEAL_TYPES,
    FIGURE_QUALIFIER_P,
    FIGURE_QUALIFIERS,
    PARETO_ALPHA,
    PRECISION_P,
    PRECISIONS,
    SECOND_SOURCE_SHARE,
    STATUS_P,
    STATUSES,
    UNDISCLOSED_SHARE,
    Pool,
    add_years,
    first_of_period,
    pick,
    round_amount,
    truncated_pareto,
    zipf_weights,
)
from .words import FILLER_AR, FILLER_EN, deal_sentence, follow_up


class DealsMixin:
    """The deal step of `SyntheticGenerator` (state lives on the generator)."""

    def _pools(self):
        k, rank = self.by_kind, self.rank
        get = lambda kind: k.get(kind, [])  # noqa: E731
        labs = get(Company.Kind.AI_LAB) + get(Company.Kind.OTHER)
        clouds = get(Company.Kind.CLOUD_PROVIDER)
        cloud_subs = [
            i
            for i in get(Company.Kind.DATA_CENTER_OPERATOR)
            if self.companies[i].parent is not None
        ]
        investors = get(Company.Kind.INVESTOR) + clouds + get(Company.Kind.CHIPMAKER)
        investees = labs + get(Company.Kind.DATA_CENTER_OPERATOR)
        return {
            # type code → (payer pool, payee pool); payer and payee pools never overlap.
            0: (Pool(investors, rank), Pool(investees, rank)),
            1: (Pool(labs, rank), Pool(clouds + cloud_subs, rank, damp=cloud_subs)),
            2: (
                Pool(labs + clouds + get(Company.Kind.DATA_CENTER_OPERATOR), rank),
                Pool(get(Company.Kind.CHIPMAKER), rank),
            ),
        }

    # The deal's own fields come from the one field map (deals/fields.py), in its order.
    DEAL_COLUMNS = ["id", *(f.column for f in ROW_FIELDS), "created_at", "updated_at"]
    CITATION_COLUMNS = [
        "id",
        "article_id",
        "quote",
        "deal_id",
        "reported_amount_usd",
        "reported_amount_qualifier",
        "reported_power_gw",
        "reported_power_qualifier",
    ]
    STATUS_COLUMNS = [
        "id",
        "deal_id",
        "status",
        "changed_on",
        "date_precision",
        "article_id",
        "quote",
        "reference_url",
    ]

    def _make_deals(self):
        self.pools = self._pools()
        self.chip_cum = np.cumsum(zipf_weights(len(self.chips), 0.8))
        self.chip_cum /= self.chip_cum[-1]
        for chunk, start in enumerate(range(0, self.n_deals, CHUNK)):
            size = min(CHUNK, self.n_deals - start)
            self._make_chunk(chunk, start, size)
            reset_queries()  # DEBUG keeps every query's SQL otherwise
            self.on_progress(size)

    def _make_chunk(self, chunk: int, start: int, size: int):
        rng = np.random.default_rng([self.seed, 7, chunk])
        span = (self.until - self.start).days
        types = rng.choice(3, size=size, p=DEAL_TYPE_P)
        payers = np.empty(size, dtype=np.int64)
        payees = np.empty(size, dtype=np.int64)
        for code, (payer_pool, payee_pool) in self.pools.items():
            mask = types == code
            count = int(mask.sum())
            payers[mask] = payer_pool.draw(rng, count)
            payees[mask] = payee_pool.draw(rng, count)
        assert not (payers == payees).any()
        np.add.at(self.deal_counts, payers, 1)
        np.add.at(self.deal_counts, payees, 1)

        alpha = np.vectorize(PARETO_ALPHA.get)(types)
        raw_amounts = truncated_pareto(rng, alpha, size)
        rounding = rng.choice(3, size=size, p=[0.6, 0.3, 0.1])
        undisclosed = rng.random(size) < UNDISCLOSED_SHARE
        qualifiers = rng.choice(4, size=size, p=FIGURE_QUALIFIER_P)
        statuses = rng.choice(len(STATUSES), size=size, p=STATUS_P)
        precisions = rng.choice(3, size=size, p=PRECISION_P)
        has_power = (types == 1) & (rng.random(size) < 0.3)
        power = 10 ** rng.uniform(-0.5, 0.5, size)
        power_qualifiers = rng.choice(4, size=size, p=FIGURE_QUALIFIER_P)
        has_term = (types == 1) & (rng.random(size) < 0.75)
        terms = rng.choice([1, 2, 3, 4, 5, 6, 7, 10], size=size)
        start_delay = rng.integers(0, 366, size)
        cloud_pick = rng.random(size)
        chip_count = np.where(rng.random(size) < 0.85, rng.integers(1, 3, size), 0)
        chip_draws = rng.random((size, 2))
        lag = rng.integers(0, 31, size)
        second = rng.random(size) < SECOND_SOURCE_SHARE
        disagree = rng.random(size) < 0.3
        disagree_factor = rng.uniform(0.7, 1.3, size)

        # Articles: consecutive groups of ~20 deals, each published on one day.
        sizes = []
        while sum(sizes) < size:
            sizes.append(int(rng.integers(ARTICLE_DEALS[0], ARTICLE_DEALS[1] + 1)))
        sizes[-1] -= sum(sizes) - size
        n_articles = len(sizes)
        article_days = rng.integers(31, span + 1, n_articles)
        article_arabic = rng.random(n_articles) < ARABIC_ARTICLE_SHARE
        filler_picks = rng.integers(0, len(FILLER_EN), (n_articles, 3))
        first_article = self._take_ids(Article, n_articles)
        article_of = np.repeat(np.arange(n_articles), sizes)
        bodies: list[list[str]] = [[] for _ in range(n_articles)]
        follow_ups: list[list[str]] = [[] for _ in range(n_articles)]

        first_deal = self._take_ids(Deal, size)
        deal_rows, citation_rows, status_rows, chip_rows = [], [], [], []
        companies, clouds, chips = self.companies, self.clouds, self.chips
        types_l, payers_l, payees_l = types.tolist(), payers.tolist(), payees.tolist()
        for i in range(size):
            deal_id = first_deal + i
            code = types_l[i]
            payer, payee = companies[payers_l[i]], companies[payees_l[i]]
            a = int(article_of[i])
            arabic = bool(article_arabic[a])
            status = STATUSES[statuses[i]]
            precision = PRECISIONS[precisions[i]]
            published = self.start + datetime.timedelta(days=int(article_days[a]))
            announced = first_of_period(published - datetime.timedelta(days=int(lag[i])), precision)
            if undisclosed[i]:
                amount, qualifier = None, Qualifier.UNDISCLOSED
            else:
                amount = round_amount(float(raw_amounts[i]), int(rounding[i]))
                qualifier = FIGURE_QUALIFIERS[qualifiers[i]]
            cloud = None
            power_gw, power_qualifier = None, Qualifier.UNDISCLOSED
            term = starts = ends = None
            deal_chips: list[PlatformRow] = []
            if code == 1:
                operator = payee if payee.clouds else companies[payee.parent]
                cloud = clouds[operator.clouds[int(cloud_pick[i] * len(operator.clouds))]]
                for k in range(int(chip_count[i])):
                    chip = chips[pick(chip_draws[i, k], self.chip_cum)]
                    if chip not in deal_chips:
                        deal_chips.append(chip)
                # Power is reported for big deals only, roughly 1 GW per $12B.
                if has_power[i] and (amount is None or amount >= 500_000_000):
                    gw = power[i] if amount is None else float(amount) / 12e9 * power[i]
                    power_gw = Decimal(f"{min(max(gw, 0.01), 10.0):.3f}")
                    power_qualifier = FIGURE_QUALIFIERS[power_qualifiers[i]]
                if has_term[i]:
                    term = int(terms[i])
                    starts = announced + datetime.timedelta(days=int(start_delay[i]))
                    ends = add_years(starts, term)
            elif code == 2:
                own = payee.chips
                deal_chips = [chips[own[int(chip_draws[i, 0] * len(own))]]]
                if len(own) > 1 and chip_count[i] == 2:
                    other = chips[own[int(chip_draws[i, 1] * len(own))]]
                    if other is not deal_chips[0]:
                        deal_chips.append(other)
            sentence_en = deal_sentence(
                "en", code, status, payer, payee, amount, qualifier, cloud, deal_chips,
                power_gw, power_qualifier, term,
            )  # fmt: skip
            sentence_ar = deal_sentence(
                "ar", code, status, payer, payee, amount, qualifier, cloud, deal_chips,
                power_gw, power_qualifier, term,
            )  # fmt: skip
            quote = sentence_ar if arabic else sentence_en
            bodies[a].append(quote)
            fields = {
                "slug": DEAL_SLUG.format(start + i + 1),
                "deal_type": DEAL_TYPES[code].value,
                "payer": payer.id,
                "payee": payee.id,
                "cloud": cloud.id if cloud else None,
                "data_center": None,
                "amount_usd": amount,
                "amount_qualifier": qualifier.value,
                "power_gw": power_gw,
                "power_qualifier": power_qualifier.value,
                "term_years": term,
                "status": status.value,
                "announced_on": announced,
                "date_precision": precision.value,
                "starts_on": starts,
                "ends_on": ends,
                "summary": sentence_en,
                "summary_ar": sentence_ar,
                "reference_url": "",
            }
            # A field added to deals/fields.py stops the run here until it is generated too.
            deal_rows.append(
                (deal_id, *(fields[f.attribute] for f in ROW_FIELDS), self.now, self.now)
            )
            article_id = first_article + a
            citation_rows.append(
                (
                    self._take_ids(DealCitation, 1),
                    article_id,
                    quote,
                    deal_id,
                    amount,
                    qualifier.value,
                    power_gw,
                    power_qualifier.value if power_gw is not None else "",
                )
            )
            status_rows.append(
                (
                    self._take_ids(DealStatusChange, 1),
                    deal_id,
                    status.value,
                    announced,
                    precision.value,
                    article_id,
                    quote,
                    "",
                )
            )
            for chip in deal_chips:
                chip_rows.append((self._take_ids(Deal.chip_platforms.through, 1), deal_id, chip.id))
            if second[i] and n_articles > 1:
                # A second article reports the deal, sometimes with a different figure.
                b = a + 1 if a + 1 < n_articles else a - 1
                reported = amount
                if amount is not None and disagree[i]:
                    reported = round_amount(float(amount) * float(disagree_factor[i]), 0)
                follow = follow_up(bool(article_arabic[b]), payer, payee, reported)
                follow_ups[b].append(follow)
                citation_rows.append(
                    (
                        self._take_ids(DealCitation, 1),
                        first_article + b,
                        follow,
                        deal_id,
                        reported,
                        Qualifier.ABOUT.value if reported is not None else "undisclosed",
                        None,
                        "",
                    )
                )

        article_rows = []
        for a in range(n_articles):
            arabic = bool(article_arabic[a])
            published = self.start + datetime.timedelta(days=int(article_days[a]))
            filler = FILLER_AR if arabic else FILLER_EN
            sentences = bodies[a] + follow_ups[a]
            for k, pick_ in enumerate(filler_picks[a].tolist()):
                sentences.insert(min(len(sentences), 1 + k * 7), filler[pick_])
            paragraphs = [" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4)]
            self.article_serial += 1
            title = (
                f"حصاد صفقات البنية التحتية للذكاء الاصطناعي ({published:%Y/%m/%d})"
                if arabic
                else f"AI infrastructure deals, {published:%d %B %Y}"
            )
            article_rows.append(
                (
                    first_article + a,
                    ARTICLE_SLUG.format(self.article_serial),
                    title,
                    "ar" if arabic else "en",
                    published,
                    "\n\n".join(paragraphs),
                    "",
                    "",
                    self.now,
                )
            )

        self._write_articles(article_rows)
        self.writer.write(Deal, self.DEAL_COLUMNS, deal_rows)
        self.writer.write(DealCitation, self.CITATION_COLUMNS, citation_rows)
        self.writer.write(DealStatusChange, self.STATUS_COLUMNS, status_rows)
        self.writer.write(
            Deal.chip_platforms.through, ["id", "deal_id", "chipplatform_id"], chip_rows
        )
        self.result.deals += size
        self.result.citations += len(citation_rows)
        self.result.status_changes += len(status_rows)
        self.result.chip_links += len(chip_rows)
