"""使用说明: one guide page per kind of user. It imports organizations (the reader's roles) and names other apps' pages
by URL name only, so it stands beside the domain apps and nothing imports it."""
