from decimal import Decimal

import pytest

from deals.formatting import format_money, format_power

B = Decimal(10) ** 9


@pytest.mark.parametrize(
    ("amount", "qualifier", "english", "arabic"),
    [
        (10 * B, "up_to", "up to $10B", "ما يصل إلى 10 مليارات دولار"),
        (8 * B, "exact", "$8B", "8 مليارات دولار"),
        (38 * B, "exact", "$38B", "38 مليار دولار"),
        (Decimal("61.5") * B, "exact", "$61.5B", "61.5 مليار دولار"),
        (3 * B, "more_than", "more than $3B", "أكثر من 3 مليارات دولار"),
        (10 * B, "about", "about $10B", "نحو 10 مليارات دولار"),
        (Decimal("1.25") * B, "exact", "$1.25B", "1.25 مليار دولار"),
        (B, "exact", "$1B", "مليار دولار"),
        (2 * B, "exact", "$2B", "ملياري دولار"),
        (300 * 10**6, "about", "about $300M", "نحو 300 مليون دولار"),
        (Decimal("1.4") * 10**12, "up_to", "up to $1.4T", "ما يصل إلى 1.4 تريليون دولار"),
        (None, "undisclosed", "undisclosed", "غير معلن"),
    ],
)
def test_money_reads_as_each_language_writes_it(amount, qualifier, english, arabic):
    assert format_money(amount, qualifier, "en") == english
    assert format_money(amount, qualifier, "ar") == arabic


def test_power_in_gigawatts_and_megawatts():
    assert format_power(Decimal(1), "up_to", "en") == "up to 1 GW"
    assert format_power(Decimal(1), "up_to", "ar") == "ما يصل إلى 1 غيغاواط"
    assert format_power(Decimal("2.2"), "exact", "en") == "2.2 GW"
    assert format_power(Decimal("0.5"), "about", "en") == "about 500 MW"
    assert format_power(None, "undisclosed", "en") == ""


def test_large_figures_group_their_thousands_in_both_languages():
    assert format_power(Decimal("23644.98"), "exact", "en") == "23,644.98 GW"
    assert format_power(Decimal("23644.98"), "exact", "ar") == "23,644.98 غيغاواط"
    assert format_money(Decimal("500000"), "exact", "en") == "$500,000"
    assert format_money(Decimal(2 * 10**15), "exact", "en") == "$2,000T"
