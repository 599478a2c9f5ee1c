"""Integer lookups that never overflow the database driver."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`__in` on an integer column, where values beyond the column's range match
    nothing. Django already does this for exact, lt and gt lookups but not for `in`,
    so on SQLite a 30-digit id from a form or a query string (a ModelMultipleChoiceField,
    a bulk action's ?id=) raised OverflowError in the driver: a 500 instead of "not
    found"."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
