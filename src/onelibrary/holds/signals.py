"""What holds asks of the parts above it, which it cannot import. Each receiver is
connected in its app's `ready()`.

`due_back(item_ids)`: when are these copies, out on loan, due back? Circulation, which
keeps loans, answers {item id: due date} (holds.expecting: when a waiting hold's copy is
expected, EXPECT-4).

`lending_counts(since, until)`: how many items did each member lend to other members'
patrons, and borrow for its own, from `since` to `until` (dates, both included)? Insights,
which keeps the figures, answers ({code: lent}, {code: borrowed}): routing's load term
(holds.inputs.lending_load) and the reports count alike (docs/insights.md).
"""

from django.dispatch import Signal

due_back = Signal()
lending_counts = Signal()
