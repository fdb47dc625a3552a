"""Tables that become a stack of cards on a phone (static/css/app.css, `.stack-table`).

On a narrow screen each row is shown as a card and each cell is preceded by its column's name,
which the cell carries as `data-label`; the markup stays a real table for screen readers.
"""

from django import template

register = template.Library()


@register.filter
def labelled(row, columns):
    """Each cell with its column's name: `{% for label, cell in row|labelled:columns %}`."""
    return zip(columns, row, strict=False)
