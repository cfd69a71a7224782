# tessera-nın daxili qısa kodlarının mətnləri, Azərbaycan dilində.
figure-credit = Şəkil: { $credit }
video-notice = Bu video { $host } saytında yerləşir. Onu oynatdıqda video { $host } saytından yüklənir və o, kukilər yaza və ziyarətinizi qeydə ala bilər.
video-play = Videonu oynat
video-watch-on = { $host } saytında bax
document-meta = { $type }, { NUMBER($size, maximumFractionDigits: 1) } { $unit }
