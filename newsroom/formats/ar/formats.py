# Django's Arabic data gives DATE_FORMAT ("j F، Y") but no datetime formats; these follow
# it, with the desk's 24-hour clock.
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "j F، Y H:i"
# Django's Arabic data names the separators ("," and ".") but groups no digits.
NUMBER_GROUPING = 3
