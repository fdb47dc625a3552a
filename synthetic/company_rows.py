"""The companies of the synthetic data set: names in both scripts, aliases, parents, a
prominence order, and the clouds and chips the clouds and chipmakers run."""

# S311: the randomness is for reproducible test data, not security.
# ruff: noqa: S311

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name, normalize_name

from .shape import CHIP_KIND_P, CHIP_KINDS, CHIP_SLUG, CLOUD_SLUG, COMPANY_SLUG
from .words import KIND_NAMES, SYLLABLES


@dataclass
class CompanyRow:
    index: int
    id: int
    slug: str
    kind: str
    stem: str
    stem_ar: str
    name: str
    name_ar: str
    parent: int | None = None  # index
    clouds: list[int] = field(default_factory=list)  # indexes into clouds
    chips: list[int] = field(default_factory=list)  # indexes into chips


@dataclass
class PlatformRow:
    id: int
    slug: str
    name: str
    name_ar: str
    owner: int  # company index


class CompaniesMixin:
    """The company and platform steps of `SyntheticGenerator` (state lives on the generator)."""

    def _kind_layout(self) -> list[str]:
        n = self.n_companies
        n_cloud = min(max(n // 40, 2), 12)
        n_chip = min(max(n // 60, 1), 8)
        n_investor = max(n // 10, 2)
        n_dc = max(n // 15, 1)
        rest = n - n_cloud - n_chip - n_investor - n_dc
        n_other = rest // 4
        kinds = (
            [Company.Kind.CLOUD_PROVIDER] * n_cloud
            + [Company.Kind.CHIPMAKER] * n_chip
            + [Company.Kind.INVESTOR] * n_investor
            + [Company.Kind.DATA_CENTER_OPERATOR] * n_dc
            + [Company.Kind.AI_LAB] * (rest - n_other)
            + [Company.Kind.OTHER] * n_other
        )
        return kinds

    def _make_companies(self):
        rng = random.Random(f"{self.seed}:companies")
        using = self.writer.using
        used = set(CompanyAlias.objects.using(using).values_list("compact", flat=True))
        self.stems: set[str] = set()
        kinds = self._kind_layout()
        first_id = self._take_ids(Company, len(kinds))
        companies: list[CompanyRow] = []
        alias_rows: list[tuple[int, str]] = []  # (company id, spelling)
        for index, kind in enumerate(kinds):
            stem, stem_ar = self._unique_stem(rng, kind, used)
            template, template_ar = rng.choice(KIND_NAMES[kind])
            name, name_ar = template.format(stem), template_ar.format(stem_ar)
            company = CompanyRow(
                index=index,
                id=first_id + index,
                slug=COMPANY_SLUG.format(index + 1),
                kind=kind,
                stem=stem,
                stem_ar=stem_ar,
                name=name,
                name_ar=name_ar,
            )
            companies.append(company)
            used.update({compact_name(name), compact_name(name_ar)})
            alias_rows += [(company.id, name), (company.id, name_ar)]
            # Half of them are also known by their bare stem ("Karavi" for "Karavi Labs").
            if rng.random() < 0.5 and compact_name(stem) not in used:
                used.add(compact_name(stem))
                alias_rows.append((company.id, stem))
        self.companies = companies
        self._assign_parents(rng)
        self._rank_prominence(rng)

        self.writer.write(
            Company,
            ["id", "slug", "name", "name_ar", "kind", "parent_id", "website"],
            [
                (
                    c.id,
                    c.slug,
                    c.name,
                    c.name_ar,
                    c.kind,
                    None if c.parent is None else companies[c.parent].id,
                    "",
                )
                for c in companies
            ],
        )
        first_alias = self._take_ids(CompanyAlias, len(alias_rows))
        self.writer.write(
            CompanyAlias,
            ["id", "company_id", "name", "normalized", "compact"],
            [
                (first_alias + i, cid, spelling, normalize_name(spelling), compact_name(spelling))
                for i, (cid, spelling) in enumerate(alias_rows)
            ],
        )
        self.result.companies = len(companies)
        self.result.aliases = len(alias_rows)
        self._make_platforms(rng)

    def _unique_stem(self, rng: random.Random, kind: str, used: set[str]) -> tuple[str, str]:
        for attempt in range(40):
            count = rng.choice([2, 2, 3, 3, 3]) + attempt // 10
            parts = [rng.choice(SYLLABLES) for _ in range(count)]
            stem = "".join(p[0] for p in parts).capitalize()
            stem_ar = "".join(p[1] for p in parts)
            names = [t.format(stem) for t, _ in KIND_NAMES[kind]]
            names += [t.format(stem_ar) for _, t in KIND_NAMES[kind]]
            key = compact_name(stem)
            if key not in self.stems and not any(compact_name(n) in used for n in names):
                self.stems.add(key)
                return stem, stem_ar
        raise RuntimeError("Could not find a free company name; use fewer companies.")

    def _assign_parents(self, rng: random.Random):
        by_kind: dict[str, list[int]] = {}
        for c in self.companies:
            by_kind.setdefault(c.kind, []).append(c.index)
        clouds = by_kind.get(Company.Kind.CLOUD_PROVIDER, [])
        investors = by_kind.get(Company.Kind.INVESTOR, [])
        # One data-centre subsidiary per cloud: compute deals with it run on its parent's cloud.
        for cloud, dc in zip(
            clouds, by_kind.get(Company.Kind.DATA_CENTER_OPERATOR, []), strict=False
        ):
            self.companies[dc].parent = cloud
        for kind in (Company.Kind.AI_LAB, Company.Kind.OTHER):
            for index in by_kind.get(kind, []):
                if rng.random() < 0.08:
                    self.companies[index].parent = rng.choice(investors)
        self.by_kind = by_kind

    def _rank_prominence(self, rng: random.Random):
        """A prominence order: clouds and chipmakers first, then everyone else shuffled."""
        leaders = self.by_kind.get(Company.Kind.CLOUD_PROVIDER, []) + self.by_kind.get(
            Company.Kind.CHIPMAKER, []
        )
        rest = [c.index for c in self.companies if c.index not in set(leaders)]
        rng.shuffle(rest)
        order = leaders + rest
        rank = np.empty(self.n_companies, dtype=np.int64)
        rank[np.array(order)] = np.arange(self.n_companies)
        self.rank = rank

    def _make_platforms(self, rng: random.Random):
        clouds: list[PlatformRow] = []
        chips: list[PlatformRow] = []
        chip_kinds: list[str] = []
        for index in self.by_kind.get(Company.Kind.CLOUD_PROVIDER, []):
            company = self.companies[index]
            labels = [("Cloud", "كلاود"), ("AI Cloud", "للذكاء الاصطناعي السحابية")]
            for label, label_ar in labels[: rng.choice([1, 1, 2])]:
                company.clouds.append(len(clouds))
                clouds.append(
                    PlatformRow(
                        id=0,
                        slug=CLOUD_SLUG.format(len(clouds) + 1),
                        name=f"{company.stem} {label}",
                        name_ar=f"{company.stem_ar} {label_ar}",
                        owner=index,
                    )
                )
        for index in self.by_kind.get(Company.Kind.CHIPMAKER, []):
            company = self.companies[index]
            letter = rng.choice("BHMXZ")
            for generation in range(rng.choice([1, 2, 3])):
                model = f"{letter}{(generation + 1) * 100}"
                company.chips.append(len(chips))
                chips.append(
                    PlatformRow(
                        id=0,
                        slug=CHIP_SLUG.format(len(chips) + 1),
                        name=f"{company.stem} {model}",
                        name_ar=f"{company.stem_ar} {model}",
                        owner=index,
                    )
                )
                chip_kinds.append(rng.choices(CHIP_KINDS, CHIP_KIND_P)[0])
        first = self._take_ids(CloudPlatform, len(clouds))
        for i, cloud in enumerate(clouds):
            cloud.id = first + i
        first = self._take_ids(ChipPlatform, len(chips))
        for i, chip in enumerate(chips):
            chip.id = first + i
        self.writer.write(
            CloudPlatform,
            ["id", "slug", "name", "name_ar", "aliases", "operator_id"],
            [(c.id, c.slug, c.name, c.name_ar, [], self.companies[c.owner].id) for c in clouds],
        )
        self.writer.write(
            ChipPlatform,
            ["id", "slug", "name", "name_ar", "aliases", "vendor_id", "kind"],
            [
                (c.id, c.slug, c.name, c.name_ar, [], self.companies[c.owner].id, kind)
                for c, kind in zip(chips, chip_kinds, strict=True)
            ],
        )
        self.clouds, self.chips = clouds, chips
        self.result.clouds, self.result.chips = len(clouds), len(chips)
