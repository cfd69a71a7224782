# نصوص الرموز القصيرة المدمجة في tessera، بالعربية.
figure-credit = الصورة: { $credit }
video-notice = هذا الفيديو مستضاف على { $host }. تشغيله يحمّله من { $host }، الذي قد يضع ملفات تعريف الارتباط ويسجّل زيارتك.
video-play = تشغيل الفيديو
video-watch-on = المشاهدة على { $host }
document-meta = { $type }، { NUMBER($size, maximumFractionDigits: 1) } { $unit ->
        [MB] ميغابايت
       *[kB] كيلوبايت
    }
