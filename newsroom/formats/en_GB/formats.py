# "6 Dec 2026 14:30": the desk's clock is 24-hour (Django's en-GB default is "2:30 p.m.").
SHORT_DATETIME_FORMAT = "j M Y H:i"
