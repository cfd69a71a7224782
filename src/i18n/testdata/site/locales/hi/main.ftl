site-title = साझेदारी नेटवर्क
footer-note = साझेदारों का नेटवर्क
pages = { $count ->
    [one] { $count } पृष्ठ
   *[other] { $count } पृष्ठ
}
plural-category = { $n ->
    [one] one
   *[other] other
}
members = { $count } सदस्य
