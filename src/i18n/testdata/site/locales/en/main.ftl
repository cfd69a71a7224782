-network = Partnership Network
site-title = { -network }
footer-note = A network of partners
old-banner = Old banner nobody uses
pages = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}
plural-category = { $n ->
    [one] one
   *[other] other
}
members = { $count } members
