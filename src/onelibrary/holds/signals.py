"""What holds asks of the parts above it, which it cannot import. Each receiver is
connected in its app's `ready()`.

`due_back(item_ids)`: when are these copies, out on loan, due back? Circulation, which
keeps loans, answers {item id: due date} (holds.expecting: when a waiting hold's copy is
expected, EXPECT-4).
"""

from django.dispatch import Signal

due_back = Signal()
