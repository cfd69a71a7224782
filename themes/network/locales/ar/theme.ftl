# UI strings of the network theme, Arabic. Counts use all six CLDR plural categories.

og-locale = ar_AR

skip-to-content = انتقل إلى المحتوى
nav-label = الرئيسية
nav-home = الصفحة الرئيسية
nav-news = الأخبار
nav-partners = الشركاء
nav-topics = المواضيع
nav-about = من نحن
nav-search = بحث
languages-label = اللغات
not-translated = لم تُترجم هذه الصفحة إلى العربية بعد
footer-about = تنشر { $site } أخبار التعاونيات والمنظمات غير الحكومية ومؤسسات الخبرة { $count ->
    [one] بلغة واحدة
    [two] بلغتين
    [few] بـ{ $count } لغات
   *[other] بـ{ $count } لغة
}.
footer-nav-label = تصفح

taxonomy-topics = المواضيع
taxonomy-partners = الشركاء
taxonomy-countries = البلدان
term-title = مقالات حول { $term }

latest-news = آخر الأخبار
all-news = كل الأخبار
all-articles = كل المقالات
no-articles = لا توجد مقالات بعد.
our-partners = شركاؤنا
article-count = { $count ->
    [zero] لا توجد مقالات
    [one] مقال واحد
    [two] مقالان
    [few] { $count } مقالات
    [many] { $count } مقالًا
   *[other] { $count } مقال
}

reading-time = { $minutes ->
    [zero] قراءة في أقل من دقيقة
    [one] قراءة في دقيقة واحدة
    [two] قراءة في دقيقتين
    [few] قراءة في { $minutes } دقائق
    [many] قراءة في { $minutes } دقيقة
   *[other] قراءة في { $minutes } دقيقة
}
updated-on = حُدّث في
toc-title = المحتويات
source = المصدر:
share-label = شارك
share-email = البريد الإلكتروني
opens-new-window = (يفتح في نافذة جديدة)

pagination-label = الصفحات
pagination-previous = الأحدث
pagination-next = الأقدم
pagination-position = الصفحة { $current } من { $total }

partner-website = زيارة موقع الشريك
partner-news = أخبار { $partner }

search-label = كلمات البحث
search-placeholder = ابحث في المقالات
search-needs-js = يتطلب البحث تفعيل JavaScript. يمكنك أيضًا تصفح الأخبار حسب الموضوع أو الشريك أو البلد.

not-found-title = الصفحة غير موجودة
not-found-text = الصفحة التي تبحث عنها نُقلت أو لم تكن موجودة أصلًا.
not-found-home = العودة إلى الصفحة الرئيسية

# Articles shown in a language they are not translated into.
in-language = { $code ->
    [en] بالإنجليزية
    [hi] بالهندية
    [az] بالأذربيجانية
    [ar] بالعربية
    [fr] بالفرنسية
    [es] بالإسبانية
   *[other] بلغة أخرى
}
full-text-in = النص الكامل متاح { in-language } فقط.
read-original = اقرأ النص الأصلي
other-versions = متاح أيضًا بـ:
switcher-not-translated = غير مترجمة: يُعرض النص الأصلي

# A translation made from an older version of its original.
original-updated-on = حُدِّث النص الأصلي في { $date } بعد إعداد هذه الترجمة.
original-updated = حُدِّث النص الأصلي بعد إعداد هذه الترجمة.
read-updated-original = اقرأ النص الأصلي المحدَّث

# The search box (Pagefind UI); [SEARCH_TERM] and [COUNT] are filled in by it.
search-ui-clear = مسح
search-ui-load-more = عرض مزيد من النتائج
search-ui-zero-results = لا توجد نتائج لـ[SEARCH_TERM]
search-ui-one-result = نتيجة واحدة لـ[SEARCH_TERM]
search-ui-many-results = [COUNT] نتيجة لـ[SEARCH_TERM]
search-ui-searching = جارٍ البحث عن [SEARCH_TERM]…
search-ui-results-label = نتائج البحث
