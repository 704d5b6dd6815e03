# One endpoint: its page, the form that adds or changes it, its signing secret, test events,
# resending what it missed, and its health. Also the form errors the services raise about its
# fields.

endpoint-crumb = نقطة الاستقبال
endpoint-add-title = إضافة نقطة استقبال
endpoint-edit-title = تعديل نقطة الاستقبال
endpoint-create = إنشاء نقطة الاستقبال
endpoint-save = حفظ التغييرات
endpoint-cancel = إلغاء

## The form's fields

endpoint-url = رابط نقطة الاستقبال
endpoint-url-help = رابط HTTPS على خادمك. تُرسَل إليه الأحداث بطلبات POST بتنسيق JSON، موقّعةً.
endpoint-rate-limit = حدّ المعدّل
endpoint-rate-limit-placeholder = بلا حدّ
endpoint-rate-limit-help = أقصى عدد من عمليات التوصيل تُرسَل إلى نقطة الاستقبال هذه في الثانية؛ وما زاد عليه ينتظر دوره. اتركه فارغًا لعدم وضع حدّ.
endpoint-events = الأحداث
endpoint-all-events-later = كل الأحداث، بما فيها ما يُضاف لاحقًا
endpoint-no-event-types = لم تُعرَّف أي أنواع أحداث بعد: تتلقى نقطة الاستقبال كل الأحداث.

endpoint-custom-headers = ترويسات مخصّصة
endpoint-headers-help = تُرسَل مع كل عملية توصيل إلى نقطة الاستقبال هذه، مثل رمز مميَّز ينتظره خادمك. قيمة الترويسة التي يوحي اسمها ببيانات اعتماد لا تُعرض مرة أخرى أبدًا: اتركها فارغة للإبقاء عليها.
endpoint-header-name = اسم الترويسة
endpoint-header-value = القيمة
endpoint-header-unchanged = دون تغيير (مخفية)
endpoint-header-remove = إزالة
endpoint-header-remove-unnamed = إزالة هذه الترويسة
endpoint-header-remove-named = إزالة { $name }
endpoint-header-add = إضافة ترويسة

## The endpoint's page

endpoint-settings = الإعدادات
endpoint-copy-url = نسخ رابط نقطة الاستقبال
endpoint-id = معرّف نقطة الاستقبال
endpoint-copy-id = نسخ معرّف نقطة الاستقبال
endpoint-all-events = كل الأحداث
endpoint-rate-per-second = { $rate } في الثانية
endpoint-rate-limit-none = لا يوجد
endpoint-headers-none = لا يوجد
endpoint-header-hidden = مخفية
endpoint-created = تاريخ الإنشاء
endpoint-edit = تعديل
endpoint-enable = تفعيل
endpoint-disable = تعطيل
endpoint-delete = حذف
endpoint-delete-question = حذف نقطة الاستقبال هذه؟
endpoint-delete-explained = تتوقف عن تلقي الأحداث فورًا، ويُحذف سجل التوصيل الخاص بها معها.
endpoint-delete-confirm = حذف نقطة الاستقبال
endpoint-refresh = تحديث
endpoint-loading-deliveries = جارٍ تحميل عمليات التوصيل…

## The signing secret

endpoint-secret = سرّ التوقيع
endpoint-secret-lead = تحقّق به من كل طلب، لتتأكد أنه صادر منا.
endpoint-secret-write-only = لا يرى السرّ إلا من لديهم صلاحية الكتابة.
endpoint-secret-rotated = جرى تدوير السرّ.
endpoint-copy-secret = نسخ سرّ التوقيع
endpoint-secret-copy-now = انسخه الآن: لن يُعرض مرة أخرى.
endpoint-secret-shown-once = يُعرض السرّ مرة واحدة فقط، عند إنشائه. دوِّره للحصول على سرّ جديد.
endpoint-secret-hide = إخفاء السرّ
endpoint-secret-reveal = إظهار السرّ
endpoint-rotate-secret = تدوير السرّ
endpoint-rotate-question = تدوير سرّ التوقيع؟
endpoint-rotate-immediate = سيوقّع سرٌّ جديد كل طلب من الآن فصاعدًا، ويتوقف السرّ القديم عن العمل فورًا.
endpoint-rotate-with-grace = سيوقّع سرٌّ جديد كل طلب من الآن فصاعدًا. وخلال فترة السماح يوقّعها السرّ القديم أيضًا، لتتمكن من تحديث خادمك دون أن يفشل التحقق.
endpoint-grace-period = فترة السماح
endpoint-grace-none = بلا فترة: يتوقف السرّ القديم الآن
endpoint-grace-1h = ساعة واحدة
endpoint-grace-24h = 24 ساعة
endpoint-rotate-confirm = تأكيد التدوير
endpoint-verify = كيف تتحقق من عملية توصيل
endpoint-copy-code = نسخ شيفرة { $language }

## Test events

endpoint-test-title = إرسال حدث تجريبي
endpoint-test-no-types = لا توجد أنواع أحداث لإرسالها بعد.
endpoint-test-payload = الحمولة
endpoint-test-payload-help = مثال نوع الحدث: عدّله لتجربة نقطة الاستقبال بقيم أخرى. يُرسَل إلى نقطة الاستقبال هذه وحدها، موسومًا بأنه تجريبي.
endpoint-test-send = إرسال الحدث التجريبي
endpoint-test-sent = أُرسل الحدث التجريبي:
endpoint-copy-message-id = نسخ معرّف الرسالة

## Sending what it missed

endpoint-missed-title = إرسال ما فاتها
endpoint-missed-help = يرسل إلى نقطة الاستقبال هذه كل حدث لم يصلها منذ الوقت الذي تختاره: عمليات التوصيل التي فشلت، وتلك التي تُخطّيت وكانت ستقبلها اليوم (أثناء تعطيلها، أو بسبب مرشّح يسمح بمرورها الآن). لا يُعاد إرسال أي شيء تلقّته من قبل.
endpoint-missed-since = منذ
endpoint-missed-local-time = (بتوقيتك المحلي)
endpoint-missed-utc = (UTC)
endpoint-missed-count = احسب ما فاتها
endpoint-missed-counting = جارٍ العدّ…
endpoint-missed-waiting = { $count ->
        [zero] لا تنتظر أي عملية توصيل خلف نقطة الاستقبال هذه.
        [one] تنتظر بالفعل عملية توصيل واحدة خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
        [two] تنتظر بالفعل عمليتا توصيل خلف نقطة الاستقبال هذه، وستُرسَلان دون الحاجة إلى هذا الإجراء.
        [few] تنتظر بالفعل { $count } عمليات توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
        [many] تنتظر بالفعل { $count } عملية توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
       *[other] تنتظر بالفعل { $count } عملية توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
    }
endpoint-missed-waiting-more = { $count ->
        [zero] تنتظر بالفعل عمليات توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
        [one] تنتظر بالفعل أكثر من عملية توصيل واحدة خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
        [two] تنتظر بالفعل أكثر من عمليتي توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
        [few] تنتظر بالفعل أكثر من { $count } عمليات توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
        [many] تنتظر بالفعل أكثر من { $count } عملية توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
       *[other] تنتظر بالفعل أكثر من { $count } عملية توصيل خلف نقطة الاستقبال هذه، وستُرسَل دون الحاجة إلى هذا الإجراء.
    }
endpoint-missed-disabled = نقطة الاستقبال هذه معطّلة. فعّلها أولًا: عندها يُرسَل ما ينتظرها. ثم أرسل ما لا يزال فاتها.
endpoint-missed-nothing = لا شيء لإرساله: منذ ذلك الوقت، كل عملية توصيل إلى نقطة الاستقبال هذه إما سُلّمت، أو في طريقها، أو تُخطّيت لسبب لا يزال قائمًا.
endpoint-missed-summary = { $count ->
        [zero] لن يُرسَل شيء (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [one] سيُرسل هذا عملية توصيل واحدة (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [two] سيُرسل هذا عمليتَي توصيل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [few] سيُرسل هذا { $count } عمليات توصيل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [many] سيُرسل هذا { $count } عملية توصيل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
       *[other] سيُرسل هذا { $count } عملية توصيل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
    }
endpoint-missed-summary-at-least = { $count ->
        [zero] سيُرسل هذا بعض عمليات التوصيل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [one] سيُرسل هذا عملية توصيل واحدة على الأقل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [two] سيُرسل هذا عمليتَي توصيل على الأقل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [few] سيُرسل هذا { $count } عمليات توصيل على الأقل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
        [many] سيُرسل هذا { $count } عملية توصيل على الأقل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
       *[other] سيُرسل هذا { $count } عملية توصيل على الأقل (الفاشلة: { $failed }، المتخطّاة: { $skipped }).
    }
endpoint-missed-send-all = إرسالها كلها
endpoint-missed-send = { $count ->
        [zero] إرسال 0 عملية توصيل
        [one] إرسال عملية توصيل واحدة
        [two] إرسال عمليتَي توصيل
        [few] إرسال { $count } عمليات توصيل
        [many] إرسال { $count } عملية توصيل
       *[other] إرسال { $count } عملية توصيل
    }
endpoint-missed-queued = { $count ->
        [zero] لم تُضَف أي عملية توصيل إلى قائمة الانتظار.
        [one] أُضيفت عملية توصيل واحدة إلى قائمة الانتظار: ستُرسَل حين تستقبلها نقطة الاستقبال.
        [two] أُضيفت عمليتا توصيل إلى قائمة الانتظار: ستُرسَلان حين تستقبلهما نقطة الاستقبال.
        [few] أُضيفت { $count } عمليات توصيل إلى قائمة الانتظار: ستُرسَل كلما استقبلتها نقطة الاستقبال.
        [many] أُضيفت { $count } عملية توصيل إلى قائمة الانتظار: ستُرسَل كلما استقبلتها نقطة الاستقبال.
       *[other] أُضيفت { $count } عملية توصيل إلى قائمة الانتظار: ستُرسَل كلما استقبلتها نقطة الاستقبال.
    }

## Health

endpoint-health = الحالة الصحية
endpoint-health-24h = 24 ساعة
endpoint-health-7d = 7 أيام
endpoint-health-success-rate = معدل النجاح
endpoint-health-delivered = سُلّمت
endpoint-health-delivered-count = { $count } ({ $first } من المحاولة الأولى)
endpoint-health-failed = فشلت بعد كل إعادات المحاولة
endpoint-health-tries = المحاولات (الفاشلة)
endpoint-health-response-time = زمن الاستجابة
endpoint-health-no-tries = لا محاولات
endpoint-health-help = يحسب معدل النجاح عمليات التوصيل لا المحاولات: الحدث الذي وصل بعد إعادة المحاولة يُعدّ نجاحًا.
endpoint-health-last-success = آخر نجاح:
endpoint-health-no-success = لا شيء خلال آخر 7 أيام
# A response time, as the upper bound of its bucket.
endpoint-latency-ms = ≤ { $ms } ms
endpoint-latency-s = ≤ { $seconds } s
endpoint-latency-over = > { $seconds } s

## What the server refuses

endpoint-plan-limit = تسمح خطة { $plan } { $max ->
        [zero] بـ{ $max } نقطة استقبال
        [one] بنقطة استقبال واحدة
        [two] بنقطتَي استقبال
        [few] بـ{ $max } نقاط استقبال
        [many] بـ{ $max } نقطة استقبال
       *[other] بـ{ $max } نقطة استقبال
    }، ولدى هذا التطبيق { $used }: احذف واحدة أو انتقل إلى خطة أكبر
endpoint-error-rate-limit = أدخل عددًا صحيحًا من عمليات التوصيل في الثانية، من 1 إلى 65535، أو اتركه فارغًا لعدم وضع حدّ.
endpoint-error-header-no-name = لإحدى الترويسات المخصّصة قيمة بلا اسم: سمِّها، أو امسح قيمتها.
endpoint-error-header-twice = الترويسة المخصّصة { $name } مكرّرة: أبقِ واحدة فقط.
endpoint-error-header-no-value = الترويسة المخصّصة { $name } تحتاج إلى قيمة.
# $reason is the JSON parser's own words, or endpoint-error-payload-eof.
endpoint-error-payload-json = الحمولة ليست JSON صالحًا: { $reason } (السطر { $line }، العمود { $column }).
endpoint-error-payload-eof = تنتهي قبل أوانها
endpoint-error-payload-object = يجب أن تكون الحمولة كائن JSON، بين {"{"} و{"}"}.
endpoint-error-no-events = اختر حدثًا واحدًا على الأقل، أو فئة كاملة، أو كل الأحداث.
endpoint-error-secret-shown = عُرض هذا السرّ مرة واحدة، عند إنشائه. دوِّره للحصول على سرّ جديد.
endpoint-error-grace = فترة السماح: اختر أحد الخيارات.
endpoint-error-test-disabled = نقطة الاستقبال هذه معطّلة: فعّلها قبل إرسال حدث تجريبي.
endpoint-error-test-event-type = نوع الحدث: اختر واحدًا من القائمة.

## The services' validation messages about a field, as sentences

endpoint-invalid-the-url = الرابط
endpoint-invalid-the-description = الوصف
endpoint-invalid-the-rate-limit = حدّ المعدّل
endpoint-invalid-the-events = الأحداث
endpoint-invalid-the-headers = الترويسات المخصّصة
endpoint-invalid-the-payload = الحمولة
endpoint-invalid-url-empty = أدخل عنوان نقطة الاستقبال الخاصة بك.
endpoint-invalid-url-example = أدخل عنوانًا كاملًا، مثل https://example.com/webhooks.
endpoint-invalid-url-https = استخدم عنوانًا يبدأ بـ https://.
endpoint-invalid-url-credentials = يجب ألا يتضمن الرابط اسم مستخدم أو كلمة مرور؛ استخدم ترويسات نقطة الاستقبال لبيانات الاعتماد.
endpoint-invalid-too-long = { $max ->
        [zero] يجب أن يكون { $field } فارغًا.
        [one] يجب ألا يزيد طول { $field } على حرف واحد.
        [two] يجب ألا يزيد طول { $field } على حرفين.
        [few] يجب ألا يزيد طول { $field } على { $max } أحرف.
        [many] يجب ألا يزيد طول { $field } على { $max } حرفًا.
       *[other] يجب ألا يزيد طول { $field } على { $max } حرف.
    }
endpoint-invalid-too-large = يجب ألا يزيد حجم { $field } على { $max } بايت.
# $problem is the service's own words, for a rule this file does not name.
endpoint-invalid-must = { $field }: { $problem }.
endpoint-invalid-other = { $problem }.
endpoint-invalid-header-reserved = الترويسة المخصّصة { $name } يضبطها Herald ولا يمكن تجاوزها.
endpoint-invalid-header-name = اسم الترويسة المخصّصة { $name } غير صالح.
endpoint-invalid-header-other = الترويسة المخصّصة { $problem }.
endpoint-invalid-header-value = قيمة الترويسة { $name } غير صالحة.
endpoint-invalid-too-many-headers = { $max ->
        [zero] لا يُسمح بأي ترويسة.
        [one] ترويسة واحدة على الأكثر.
        [two] ترويستان على الأكثر.
        [few] { $max } ترويسات على الأكثر.
        [many] { $max } ترويسة على الأكثر.
       *[other] { $max } ترويسة على الأكثر.
    }
endpoint-invalid-too-many-event-types = { $max ->
        [zero] لا يُسمح بأي نوع حدث.
        [one] نوع حدث واحد على الأكثر.
        [two] نوعا حدث على الأكثر.
        [few] { $max } أنواع أحداث على الأكثر.
        [many] { $max } نوع حدث على الأكثر.
       *[other] { $max } نوع حدث على الأكثر.
    }
endpoint-invalid-event-type-name = «{ $name }» ليس اسم نوع حدث صالحًا.
endpoint-invalid-unknown-event-types = أنواع أحداث غير معروفة: { $names }.
endpoint-invalid-points-to = يشير الرابط إلى { $reason } ({ $ip })، ولا يُسمح لنقاط الاستقبال باستخدامه.
endpoint-invalid-host-is = مضيف الرابط هو { $reason }، ولا يُسمح لنقاط الاستقبال باستخدامه.
endpoint-invalid-resolves-to = يُحَلّ مضيف الرابط إلى { $reason } ({ $ip })، ولا يُسمح لنقاط الاستقبال باستخدامه.
endpoint-reason-cloud-metadata = عنوان بيانات وصفية سحابية
endpoint-reason-loopback = عنوان استرجاع (loopback)
endpoint-reason-private = عنوان شبكة خاصة
endpoint-reason-link-local = عنوان ربط محلي (link-local)
endpoint-reason-cgnat = عنوان NAT على مستوى مزوّد الخدمة (CGNAT)
endpoint-reason-reserved = عنوان محجوز
endpoint-reason-multicast = عنوان بثّ متعدد (multicast)
endpoint-reason-benchmarking = عنوان شبكة مخصّصة لقياس الأداء
endpoint-reason-ietf = عنوان مخصّص لبروتوكولات IETF
endpoint-reason-unspecified = عنوان غير محدّد
endpoint-reason-unique-local = عنوان خاص (محلي فريد)
endpoint-reason-loopback-name = اسم مضيف استرجاع (loopback)
endpoint-reason-metadata-name = اسم مضيف بيانات وصفية سحابية
