# tessera के अंतर्निहित शॉर्टकोड के पाठ, हिंदी।
figure-credit = चित्र: { $credit }
video-notice = यह वीडियो { $host } पर है। इसे चलाने पर यह { $host } से लोड होगा, जो कुकीज़ रख सकता है और आपकी विज़िट दर्ज कर सकता है।
video-play = वीडियो चलाएँ
video-watch-on = { $host } पर देखें
document-meta = { $type }, { NUMBER($size, maximumFractionDigits: 1) } { $unit }
