"""Circularity per company: how much of the money a company invests comes back to it as purchases.

The definition, in words and with a worked example, is in docs/circularity.md. In short:

- The graph is `flows.money_graph` of every live deal: companies (subsidiaries folded into their
  top-most parent, so money reaching AWS reaches Amazon), an edge per pair that money flows
  between (investments, compute and chip purchases, and a cloud's capacity running on a chip
  vendor's chips).
- A **loop of C** is a simple cycle of at most `MAX_LEGS` companies that leaves C as one of C's
  investments and comes back to C as a purchase from C (compute or chips). Between the two,
  any kind of money.
- **What comes back** is the most money that can go round C's loops together, no deal carrying
  more than its amount: a maximum flow from C's investments to the purchases from C, through
  the edges of its loops. So a loop returns no more than its smallest leg, and two loops
  sharing a leg share its money. It is computed for the certain amounts (exact, "about", the
  floor of "more than") and for the possible ones ("up to" ceilings included): a loop through
  an "up to" figure is an "up to" return.
- **Firm versus promised**: the same maximum flow through firm deals only, then through firm
  and promised deals, then through every live deal. A loop is only as firm as its least firm
  leg.
- An amount nobody disclosed is never taken as zero nor as any number: a loop with a leg of
  undisclosed amount (the share of a compute deal spent on one vendor's chips always is) is
  counted and listed, and left out of the sums.

The package, along those lines: `loops.py` finds each company's loops and prices their legs;
`returns.py` is what comes back round them (the maximum flow); `score.py` is each company's
circularity, ranked, with its loops' deals and sources.
"""

from .loops import Step
from .score import Circularity, RoundTrip, circularity

__all__ = ["Circularity", "RoundTrip", "Step", "circularity"]
