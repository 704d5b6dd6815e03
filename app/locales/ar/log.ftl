# The delivery log, its filters and pages, and one delivery attempt.

log-lead = كل حدث أُرسل إلى كل نقطة من نقاط استقبال هذه الشركة، بحالته: تم توصيله، أو في الطريق، أو في الانتظار، أو تم تخطيه (ولماذا)، أو فشل.
log-find-aria = البحث عن رسالة
log-find-field = معرّف الرسالة أو معرّف الحدث
log-find-placeholder = msg_… أو معرّف الحدث لديك
log-find = بحث
log-held = محتجز بسبب حد الخطة
log-held-help = بلغت هذه الأحداث حد الساعة الحالية في خطة الشركة. إنها لم تضِع: يُرسَل كل منها، بالترتيب، كلما سمحت الساعة التالية، أو فورًا إذا تغيّرت الخطة.

# The filter form.
log-filters = عوامل التصفية
log-filter-all = الكل
log-filter-from = من
log-filter-to = إلى
log-field-since = منذ
log-zone-local = (بتوقيتك المحلي)
log-zone-utc = (UTC)
log-filter = تصفية

# A delivery's state, on its badge and in the state filter.
log-state-delivered = تم التوصيل
log-state-in-progress = قيد التنفيذ
log-state-sending = جارٍ الإرسال
log-state-queued = في قائمة الانتظار
log-state-retrying = إعادة المحاولة
log-state-waiting = في الانتظار
log-state-held = محتجز
log-state-skipped = تم التخطي
log-state-failed = فشل

# The table of deliveries.
log-deliveries = عمليات التوصيل
log-empty-heading = لا توجد عمليات توصيل
log-empty-filtered = لا شيء يطابق عوامل التصفية هذه في هذه الصفحة من السجل.
log-empty = تظهر الأحداث هنا فور إرسالها؛ أرسل حدثًا تجريبيًا من صفحة إحدى نقاط الاستقبال.
log-test = تجريبي
log-test-title = أُرسل من هذه البوابة لتجربة نقطة الاستقبال
log-tries-of = { $tries } من { $max }
log-no-response = لا رد
log-enable-endpoint = تفعيل نقطة الاستقبال
log-send-now = أرسل الآن
log-send-again = أرسل مرة أخرى
log-queued = أُضيف إلى قائمة الانتظار: سيُرسَل الآن. أعد تحميل الصفحة لمتابعته.
log-pages = الصفحات
log-newest = الأحدث
log-newer = أحدث
log-older = أقدم

# One delivery attempt.
log-attempt-title = محاولة توصيل
log-crumb-attempt = محاولة
log-attempt-heading = المحاولة
log-fact-message = الرسالة
log-fact-result = النتيجة
log-result-succeeded = نجحت
log-result-failed = فشلت
log-result-no-response = لا رد
log-fact-duration = المدة
log-duration-ms = { $ms } ملّي ثانية
log-fact-trigger = طريقة البدء
log-trigger-manual = يدوية
log-trigger-scheduled = مجدولة
log-fact-error = الخطأ
log-request = الطلب
log-response = الرد
log-response-status = رمز الحالة:
log-headers = الترويسات
log-body = المحتوى
log-copy-request-headers = نسخ ترويسات الطلب
log-copy-request-body = نسخ محتوى الطلب
log-copy-response-body = نسخ محتوى الرد
log-response-truncated = كان الرد أطول: لا يُحتفَظ إلا بأول 64 كيلوبايت منه.
log-body-exact = { $bytes ->
    [zero] لم يُرسَل أي بايت.
    [one] هذا بالضبط البايت الوحيد المُرسَل.
    [two] هذان بالضبط البايتان المُرسَلان.
    [few] هذه بالضبط البايتات المُرسَلة، وعددها { $bytes } بايتات.
    [many] هذه بالضبط البايتات المُرسَلة، وعددها { $bytes } بايتًا.
   *[other] هذه بالضبط البايتات المُرسَلة، وعددها { $bytes }.
}
log-body-expunged = حُذف محتوى الرسالة (أُتلف نهائيًا)، وحُذف معه المحتوى المُرسَل.
log-body-not-recorded = غير مسجَّل: لم تُرسِل هذه المحاولة شيئًا، أو جرت قبل أن يحتفظ Herald بالمحتوى المُرسَل كما هو. تُعرض الحمولة كما استُلمت؛ وربما غلّفها المحتوى المُرسَل داخل مغلّف.
log-expunged = (أُتلف نهائيًا)
log-verify-summary = كيف تتحقق من هذا التوقيع
log-verify-help = احسبه على المحتوى كما هو أعلاه تمامًا، كبايتات: انسخه بدل إعادة كتابته أو إعادة تنسيقه (تحليل JSON ثم طباعته من جديد يغيّر ترتيب المفاتيح وأرقامًا مثل 10.50). الطابع الزمني والمعرّف موجودان في الترويسات. السرّ الذي جرى تدويره بعد هذه المحاولة يعطي توقيعًا مختلفًا.

# Refusals of the log's filters (and of the "since" of sending what an endpoint missed).
log-error-date-time = { $field }: أدخل تاريخًا ووقتًا.
log-error-time-zone = المنطقة الزمنية: ليست فارق توقيت عن UTC.
log-error-state = الحالة: اختر أحد الخيارات.
log-error-page = الصفحة: ليست موضعًا في هذا السجل.
log-error-to-before-from = إلى: يجب أن يكون بعد «من».
