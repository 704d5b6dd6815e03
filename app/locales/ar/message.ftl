# One message: what was sent, where it goes, and every try.

message-title = الرسالة
message-crumb = رسالة
message-test-lead = حدث تجريبي، أُرسل من هذه البوابة لتجربة نقطة الاستقبال.
message-event-id = معرّف الحدث
message-none-given = لم يُحدَّد
message-received = تاريخ الاستلام
message-payload = الحمولة
message-payload-test-help = كما أُرسلت تمامًا.
message-payload-help = كما أرسلها منتجك تمامًا.
message-no-tries = لا محاولات بعد.

# A delivery's state in a sentence, under its badge (here and in the delivery log).
message-detail-delivered-first = تم التوصيل من المحاولة الأولى
message-detail-delivered = تم التوصيل في المحاولة { $try }
message-detail-sending = جارٍ الإرسال، المحاولة { $try } من { $of }
message-detail-queued = في قائمة الانتظار لمحاولته الأولى
message-detail-retrying = فشلت المحاولة { $failed }؛ المحاولة { $try } من { $of } مجدولة
message-detail-waiting-endpoint-disabled = في الانتظار: نقطة الاستقبال معطّلة؛ سيُرسَل عند تفعيلها
message-detail-waiting-company-disabled = في الانتظار: الشركة معطّلة؛ سيُرسَل عند تفعيلها
message-detail-waiting-retry-after = في الانتظار: طلبت نقطة الاستقبال الانتظار (Retry-After)
message-detail-waiting-failing = في الانتظار: نقطة الاستقبال تفشل؛ سيُرسَل عند نجاح أحد الفحوص
message-detail-waiting-busy = في انتظار فرصة إرسال متاحة
message-detail-held = محتجز بسبب الحد الساعي للخطة
message-detail-skipped-because = تم التخطي: { $reason }
message-detail-skipped = تم التخطي
message-detail-failed = { $tries ->
    [zero] فشل دون أي محاولة
    [one] فشل بعد محاولة واحدة
    [two] فشل بعد محاولتين
    [few] فشل بعد { $tries } محاولات
    [many] فشل بعد { $tries } محاولة
   *[other] فشل بعد { $tries } محاولة
}

# Why a delivery was skipped, after "skipped: ".
message-skip-filtered-out = نوع حدثه ليس ضمن عامل تصفية نقطة الاستقبال
message-skip-channel-filtered-out = لا توجد أي من قنواته ضمن عامل تصفية نقطة الاستقبال
message-skip-filter-unreadable = تعذّرت قراءة عامل تصفية أنواع الأحداث في نقطة الاستقبال
message-skip-channel-filter-unreadable = تعذّرت قراءة عامل تصفية القنوات في نقطة الاستقبال
message-skip-expunged = أُتلف محتواه نهائيًا
message-skip-no-secret = لم يكن لنقطة الاستقبال سرّ توقيع
message-skip-endpoint-disabled = كانت نقطة الاستقبال معطّلة

# Refusals of an id or event id ($field: the field's label).
message-error-empty = { $field }: يجب ألا يكون فارغًا
message-error-too-long = { $max ->
    [zero] { $field }: يجب ألا يتجاوز { $max } حرف
    [one] { $field }: يجب ألا يتجاوز حرفًا واحدًا
    [two] { $field }: يجب ألا يتجاوز حرفين
    [few] { $field }: يجب ألا يتجاوز { $max } أحرف
    [many] { $field }: يجب ألا يتجاوز { $max } حرفًا
   *[other] { $field }: يجب ألا يتجاوز { $max } حرفًا
}
message-error-charset = { $field }: يجوز أن يحتوي على الحروف والأرقام و«-» و«_» و«.» فقط
