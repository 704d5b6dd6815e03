# Pieces every portal page shares: times, copy buttons, badges, the attempts table.

common-just-now = قبل لحظات
common-minutes-ago =
    { $count ->
        [zero] منذ { $count } دقيقة
        [one] منذ دقيقة
        [two] منذ دقيقتين
        [few] منذ { $count } دقائق
        [many] منذ { $count } دقيقة
       *[other] منذ { $count } دقيقة
    }
common-hours-ago =
    { $count ->
        [zero] منذ { $count } ساعة
        [one] منذ ساعة
        [two] منذ ساعتين
        [few] منذ { $count } ساعات
        [many] منذ { $count } ساعة
       *[other] منذ { $count } ساعة
    }
common-days-ago =
    { $count ->
        [zero] منذ { $count } يوم
        [one] منذ يوم
        [two] منذ يومين
        [few] منذ { $count } أيام
        [many] منذ { $count } يومًا
       *[other] منذ { $count } يوم
    }

common-copy = نسخ
common-copied = تم النسخ
common-copy-failed = تعذّر النسخ: حدّد النص وانسخه

# The bars of an endpoint's last 24 hours, for screen readers and on hover.
common-sparkline-label =
    آخر 24 ساعة: { $total ->
        [zero] لا محاولات
        [one] محاولة واحدة
        [two] محاولتان
        [few] { $total } محاولات
        [many] { $total } محاولة
       *[other] { $total } محاولة
    }، فشل منها { $failed }
common-no-attempts-yet = لا محاولات بعد
common-enabled = مفعّلة
common-disabled = معطّلة

common-no-response = لا رد
common-succeeded = نجحت
common-failed = فشلت
common-duration-ms = { $ms } ms
common-manual = يدوي
common-scheduled = مجدول
common-details = التفاصيل
common-replay = إعادة الإرسال
common-replay-queued = أُدرجت إعادة الإرسال في قائمة الانتظار: ستُرسل الآن.
common-col-message = الرسالة
common-col-duration = المدة
common-col-trigger = الإطلاق
