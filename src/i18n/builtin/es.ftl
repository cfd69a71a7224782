# Cadenas de los shortcodes incorporados de tessera, español.
figure-credit = Imagen: { $credit }
video-notice = Este vídeo está alojado en { $host }. Al reproducirlo se carga desde { $host }, que puede instalar cookies y registrar su visita.
video-play = Reproducir el vídeo
video-watch-on = Ver en { $host }
document-meta = { $type }, { NUMBER($size, maximumFractionDigits: 1) } { $unit }
