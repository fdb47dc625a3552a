"""The honest arithmetic of totals: qualifiers, statuses and unknowns survive every sum."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deals.models import DealStatus, Qualifier
from deals.totals import MONEY, POWER, Standing, Total

B = Decimal(10) ** 9


def money(*figures):
    return Total.of(
        [(None if amount is None else Decimal(amount) * B, qualifier, status)
         for amount, qualifier, status in figures]
    )  # fmt: skip


def test_exact_plus_up_to_is_a_range_not_a_sum():
    total = money(
        (8, Qualifier.EXACT, DealStatus.COMPLETED), (10, Qualifier.UP_TO, DealStatus.COMPLETED)
    )
    assert total.certain == 8 * B
    assert total.possible == 18 * B
    assert total.words("en") == "$8B–$18B firm"
    assert total.words("ar") == "من 8 مليارات دولار إلى 18 مليار دولار في صفقات مؤكدة"


def test_more_than_plus_undisclosed_has_no_ceiling_and_counts_the_unknown():
    total = money(
        (3, Qualifier.MORE_THAN, DealStatus.COMPLETED), (None, Qualifier.UNDISCLOSED, "rumored")
    )
    assert total.certain == 3 * B
    assert total.possible is None
    assert total.undisclosed_count == 1
    assert total.words("en") == "more than $3B firm, and 1 undisclosed (reported)"
    assert total.words("ar") == (
        "أكثر من 3 مليارات دولار في صفقات مؤكدة، وصفقة واحدة غير معلنة القيمة (متداولة)"
    )


def test_about_plus_exact_reads_as_about():
    total = money((8, Qualifier.ABOUT, "signed"), (2, Qualifier.EXACT, "signed"))
    assert total.certain == total.possible == 10 * B
    assert total.words("en") == "about $10B firm"
    assert total.words("ar") == "نحو 10 مليارات دولار في صفقات مؤكدة"


def test_all_undisclosed_is_a_count_not_zero():
    total = money(
        (None, Qualifier.UNDISCLOSED, "announced"), (None, Qualifier.UNDISCLOSED, "in_talks")
    )
    assert total.certain == 0 and total.stated_count == 0
    assert total.undisclosed_count == 2
    assert total.words("en") == "2 undisclosed (1 promised, 1 reported)"
    assert total.words("ar") == "صفقتان غير معلنتي القيمة (1 موعودة، 1 متداولة)"


def test_empty_total_says_none():
    assert Total().is_empty
    assert Total().words("en") == "none"
    assert Total().words("ar") == "لا شيء"


def test_cancelled_deals_are_in_no_total():
    assert money((5, Qualifier.EXACT, DealStatus.CANCELLED)).is_empty


def test_anthropic_received_reads_with_its_qualifiers():
    """The seed's case: $8B completed, more than $3B, up to $10B and up to $5B announced."""
    total = money(
        (8, Qualifier.EXACT, "completed"),
        (3, Qualifier.MORE_THAN, "completed"),
        (10, Qualifier.UP_TO, "announced"),
        (5, Qualifier.UP_TO, "announced"),
        (None, Qualifier.UNDISCLOSED, "rumored"),
    )
    assert total.words("en") == (
        "at least $11B firm, up to $15B promised, and 1 undisclosed (reported)"
    )
    assert "26" not in total.words("en")
    assert total.span_words(Standing.FIRM, "en") == "at least $11B"


def test_power_is_summed_in_gigawatts_and_never_mixed_with_money():
    power = Total.of([(Decimal("1.2"), Qualifier.UP_TO, "announced")], unit=POWER)
    assert power.words("en") == "up to 1.2 GW promised"
    try:
        power + Total(unit=MONEY)
    except ValueError:
        pass
    else:
        raise AssertionError("money and power were added")


def test_json_keeps_the_split():
    data = money((8, Qualifier.EXACT, "completed"), (5, Qualifier.UP_TO, "announced")).as_json()
    assert data["certain"] == 8 * 10**9 and data["possible"] == 13 * 10**9
    assert data["by_standing"]["promised"] == {
        "certain": 0,
        "possible": 5 * 10**9,
        "stated": 1,
        "undisclosed": 0,
    }


# -- properties ---------------------------------------------------------------------------------

QUALIFIERS = [Qualifier.EXACT, Qualifier.ABOUT, Qualifier.UP_TO, Qualifier.MORE_THAN]
STATUSES = [choice for choice, _label in DealStatus.choices]
figures = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(min_value=0, max_value=10**6).map(Decimal)),
        st.sampled_from(QUALIFIERS),
        st.sampled_from(STATUSES),
    ),
    max_size=25,
)


# Generating deals is quick, but a machine busy with other tests can make it look slow.
RELAXED = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@RELAXED
@given(figures)
def test_certain_never_exceeds_possible(deals):
    total = Total.of(deals)
    assert total.possible is None or total.certain <= total.possible


@RELAXED
@given(figures, figures)
def test_adding_deals_never_lowers_either_bound(deals, more):
    before, after = Total.of(deals), Total.of(deals + more)
    assert after.certain >= before.certain
    if before.possible is None:
        assert after.possible is None
    elif after.possible is not None:
        assert after.possible >= before.possible
    assert after.undisclosed_count >= before.undisclosed_count


@RELAXED
@given(figures, st.sampled_from(["status", "qualifier", "half"]))
def test_total_equals_the_sum_over_any_partition(deals, by):
    def key(index_deal):
        index, (_amount, qualifier, status) = index_deal
        return {"status": status, "qualifier": qualifier, "half": index % 2}[by]

    groups: dict = {}
    for item in enumerate(deals):
        groups.setdefault(key(item), []).append(item[1])
    summed = sum((Total.of(group) for group in groups.values()), Total())
    whole = Total.of(deals)
    assert summed.as_json() == whole.as_json()
    assert summed.words("en") == whole.words("en")
