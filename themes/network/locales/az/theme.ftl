# UI strings of the network theme, Azerbaijani.

og-locale = az_AZ

skip-to-content = Məzmuna keç
nav-label = Əsas
nav-home = Ana səhifə
nav-news = Xəbərlər
nav-partners = Tərəfdaşlar
nav-topics = Mövzular
nav-about = Haqqımızda
nav-search = Axtarış
languages-label = Dillər
not-translated = Bu səhifə hələ Azərbaycan dilinə tərcümə olunmayıb
footer-about = { $site } kooperativlərin, QHT-lərin və ekspert qurumlarının xəbərlərini { $count } dildə paylaşır.
footer-nav-label = Bax

taxonomy-topics = Mövzular
taxonomy-partners = Tərəfdaşlar
taxonomy-countries = Ölkələr
term-title = { $term } haqqında məqalələr

latest-news = Son xəbərlər
all-news = Bütün xəbərlər
all-articles = Bütün məqalələr
no-articles = Hələ məqalə yoxdur.
our-partners = Tərəfdaşlarımız
article-count = { $count ->
    [one] { $count } məqalə
   *[other] { $count } məqalə
}

reading-time = { $minutes ->
    [one] { $minutes } dəqiqəlik oxu
   *[other] { $minutes } dəqiqəlik oxu
}
updated-on = Yeniləndi
toc-title = Mündəricat
source = Mənbə:
share-label = Paylaş
share-email = E-poçt
opens-new-window = (yeni pəncərədə açılır)

pagination-label = Səhifələr
pagination-previous = Daha yeni
pagination-next = Daha köhnə
pagination-position = Səhifə { $current } / { $total }

partner-website = Tərəfdaşın saytına keç
partner-news = { $partner } haqqında xəbərlər

search-label = Axtarılacaq sözlər
search-placeholder = Məqalələrdə axtar
search-needs-js = Axtarış üçün JavaScript lazımdır. Xəbərlərə mövzu, tərəfdaş və ya ölkə üzrə də baxa bilərsiniz.

not-found-title = Səhifə tapılmadı
not-found-text = Axtardığınız səhifə köçürülüb və ya heç vaxt mövcud olmayıb.
not-found-home = Ana səhifəyə keç

# Articles shown in a language they are not translated into.
in-language = { $code ->
    [en] ingilis dilində
    [hi] hind dilində
    [az] Azərbaycan dilində
    [ar] ərəb dilində
    [fr] fransız dilində
    [es] ispan dilində
   *[other] başqa dildə
}
full-text-in = Məqalənin tam mətni yalnız { in-language } mövcuddur.
read-original = Orijinalı oxuyun
other-versions = Digər dillərdə:
switcher-not-translated = tərcümə olunmayıb: orijinal göstərilir

# A translation made from an older version of its original.
original-updated-on = Orijinal bu tərcümədən sonra, { $date } tarixində yenilənib.
original-updated = Orijinal bu tərcümədən sonra yenilənib.
read-updated-original = Yenilənmiş orijinalı oxuyun

# The search box (Pagefind UI); [SEARCH_TERM] and [COUNT] are filled in by it.
search-ui-clear = Təmizlə
search-ui-load-more = Daha çox nəticə
search-ui-zero-results = [SEARCH_TERM] üçün nəticə yoxdur
search-ui-one-result = [SEARCH_TERM] üçün [COUNT] nəticə
search-ui-many-results = [SEARCH_TERM] üçün [COUNT] nəticə
search-ui-searching = [SEARCH_TERM] axtarılır…
search-ui-results-label = Axtarış nəticələri
