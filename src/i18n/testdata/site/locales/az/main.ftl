footer-note = Tərəfdaşlar şəbəkəsi
pages = { $count ->
    [one] { $count } səhifə
   *[other] { $count } səhifə
}
plural-category = { $n ->
    [one] one
   *[other] other
}
