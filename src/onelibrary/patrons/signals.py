"""What the patrons part tells the parts above it, which it cannot import.

`history_withdrawn(patron)`: the patron withdrew the loan-history opt-in. Circulation,
which keeps loans, cuts their link to the patron's returned loans and answers how many.
"""

from django.dispatch import Signal

history_withdrawn = Signal()
