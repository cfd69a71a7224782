# Strings of tessera's built-in shortcodes, English. A site or theme string with the same id wins.
figure-credit = Image: { $credit }
video-notice = This video is hosted by { $host }. Playing it loads it from { $host }, which may set cookies and record your visit.
video-play = Play video
video-watch-on = Watch on { $host }
document-meta = { $type }, { NUMBER($size, maximumFractionDigits: 1) } { $unit }
