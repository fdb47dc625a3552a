"""Arabic: "18 نوفمبر 2025" as the Arabic tech press writes dates, without Django's comma.

Digits stay Western (1, 2, 3), as in most Arabic technology and business news, and so do the
separators: 61.5 and 1,000, never the "61,5" of Django's default Arabic formats.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j/n/Y"
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
