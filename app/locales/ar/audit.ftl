# The audit trail: its page and filter, and each entry written as a sentence and as lines of
# changes. `who` is who made the change, `target` what it was made to (an endpoint's URL, a
# member's e-mail, a plan's name).

audit-lead = كل تغيير على webhooks هذه الشركة: من أجراه، ومتى، وما الذي تغيّر.
audit-empty = لم يتغيّر شيء بعد
audit-older = تغييرات أقدم
audit-pages = الصفحات
audit-the-deployment = النشر

## The filter (the kinds of change reuse the navigation's names where they match)

audit-filter-label = تصفية سجل التدقيق
audit-filter-show = عرض
audit-filter-every-change = كل التغييرات
audit-filter-messages = الرسائل
audit-filter-company = الشركة
audit-filter-plans = الخطط
audit-filter-api-keys = مفاتيح API
audit-filter-catalogue-imports = عمليات استيراد الدليل

## Who made a change, when it was not a person signed in with a password

audit-actor-portal-link = رابط البوابة
audit-actor-portal-link-user = رابط البوابة (مستخدم المنتج المضيف { $user })
audit-actor-api-key = مفتاح API «{ $name }»

## The entries as sentences

audit-endpoint-created = أضاف { $who } نقطة الاستقبال { $target }
audit-endpoint-updated = عدّل { $who } نقطة الاستقبال { $target }
audit-endpoint-disabled = عطّل { $who } نقطة الاستقبال { $target }
audit-endpoint-enabled = فعّل { $who } نقطة الاستقبال { $target }
audit-endpoint-deleted = حذف { $who } نقطة الاستقبال { $target }
audit-endpoint-secret-rotated = دوّر { $who } سرّ التوقيع لنقطة الاستقبال { $target }
audit-endpoint-secret-revealed = أظهر { $who } سرّ التوقيع لنقطة الاستقبال { $target }
audit-endpoint-headers-updated = عدّل { $who } الترويسات المخصّصة لنقطة الاستقبال { $target }
audit-endpoint-test-sent-type = أرسل { $who } حدثًا تجريبيًا من النوع { $type } إلى { $target }
audit-endpoint-test-sent = أرسل { $who } حدثًا تجريبيًا إلى { $target }
audit-endpoint-recovered =
    أعاد { $who } إلى { $target } إرسال عمليات التوصيل الفاشلة: { $count ->
        [zero] { $count } عملية
        [one] عملية واحدة
        [two] عمليتان
        [few] { $count } عمليات
        [many] { $count } عملية
       *[other] { $count } عملية
    }
audit-endpoint-missed-sent =
    أرسل { $who } إلى { $target } ما فاتها: { $count ->
        [zero] { $count } عملية توصيل
        [one] عملية توصيل واحدة
        [two] عمليتا توصيل
        [few] { $count } عمليات توصيل
        [many] { $count } عملية توصيل
       *[other] { $count } عملية توصيل
    }
audit-message-resent = أعاد { $who } إرسال الرسالة { $target }
# A permission in a sentence is written in lower case ("read and write").
audit-user-invited = دعا { $who } المستخدم { $target } بصلاحية «{ $permission }»
audit-user-joined = انضم { $who } إلى الشركة بصلاحية «{ $permission }»
audit-user-permission-changed = غيّر { $who } صلاحية { $target } من «{ $from }» إلى «{ $to }»
audit-no-permission = بلا صلاحية
audit-user-removed = أزال { $who } المستخدم { $target } من الشركة
audit-application-created = أنشأ { $who } الشركة
audit-application-updated = غيّر { $who } إعدادات الشركة
audit-application-deleted = حذف { $who } الشركة
audit-application-disabled = عطّل { $who } الشركة
audit-application-enabled = فعّل { $who } الشركة
audit-application-branding-changed = غيّر { $who } مظهر بوابة الشركة
audit-application-plan-changed = نقل { $who } الشركة إلى خطة { $plan }
audit-application-plan-removed = أخرج { $who } الشركة من خطتها (بلا حدود)
audit-api-key-created = أنشأ { $who } مفتاح API { $target }
audit-api-key-revoked = ألغى { $who } مفتاح API { $target }
audit-plan-created = أنشأ { $who } الخطة { $target }
audit-plan-updated = عدّل { $who } الخطة { $target }
audit-plan-deleted = حذف { $who } الخطة { $target }
audit-catalogue-imported = استورد { $who } دليل الأحداث: الجديدة { $created }، والمعدّلة { $updated }
audit-event-type-created = أضاف { $who } نوع الحدث { $target }
audit-event-type-updated = عدّل { $who } نوع الحدث { $target }
audit-event-type-archived = أرشف { $who } نوع الحدث { $target }
audit-event-type-restored = استعاد { $who } نوع الحدث { $target }
audit-event-type-deleted = حذف { $who } نوع الحدث { $target }
# An action a newer version filed; `action` is its technical name (endpoint.teleported).
audit-unknown = نفّذ { $who } الإجراء { $action } على { $target }

## What changed, one line per field

# The arrow points from the old value to the new one, right to left.
audit-change = { $label }: { $from } ← { $to }
audit-value = { $label }: { $value }
audit-value-all-events = كل الأحداث
audit-value-any-channel = أي قناة
audit-value-none = لا شيء
audit-value-yes = نعم
audit-value-no = لا
audit-duration-days =
    { $count ->
        [zero] { $count } يوم
        [one] يوم واحد
        [two] يومان
        [few] { $count } أيام
        [many] { $count } يومًا
       *[other] { $count } يوم
    }
audit-duration-hours =
    { $count ->
        [zero] { $count } ساعة
        [one] ساعة واحدة
        [two] ساعتان
        [few] { $count } ساعات
        [many] { $count } ساعة
       *[other] { $count } ساعة
    }
audit-duration-minutes =
    { $count ->
        [zero] { $count } دقيقة
        [one] دقيقة واحدة
        [two] دقيقتان
        [few] { $count } دقائق
        [many] { $count } دقيقة
       *[other] { $count } دقيقة
    }
audit-duration-seconds =
    { $count ->
        [zero] { $count } ثانية
        [one] ثانية واحدة
        [two] ثانيتان
        [few] { $count } ثوانٍ
        [many] { $count } ثانية
       *[other] { $count } ثانية
    }

audit-field-url = عنوان URL
audit-field-uid = UID
audit-field-description = الوصف
audit-field-event-types = أنواع الأحداث
audit-field-channels = القنوات
audit-field-disabled = معطّل
audit-field-rate-limit = حدّ المعدّل (في الثانية)
audit-field-metadata = البيانات الوصفية
audit-field-headers = الترويسات المخصّصة
audit-field-grace-period = مدة قبول السرّ القديم
audit-field-key-chosen-by-caller = سرّ اختاره المستدعي
audit-field-message = الرسالة
audit-field-endpoint = نقطة الاستقبال
audit-field-event-type = نوع الحدث
audit-field-since = منذ
audit-field-until = حتى
audit-field-deliveries = عمليات التوصيل
audit-field-email = البريد الإلكتروني
audit-field-permission = الصلاحية
audit-field-name = الاسم
audit-field-plan = الخطة
audit-field-display-name = اسم المنتج
audit-field-logo = الشعار
audit-field-accent-color = لون التمييز
audit-field-theme = السمة
audit-field-upgrade-url = صفحة ترقية الخطة
audit-field-group = المجموعة
# Counts of an import of the event catalogue.
audit-field-created = الجديدة
audit-field-updated = المعدّلة
audit-field-via = عبر
audit-field-max-endpoints = عدد نقاط الاستقبال المسموح به
audit-field-deliveries-per-hour = عمليات التوصيل في الساعة
audit-field-retry-schedule = جدول إعادة المحاولة
audit-field-timeout = مهلة الانتظار
audit-field-retention = مدة الاحتفاظ (بالأيام)
audit-field-auto-disable-after = عدد المحاولات الفاشلة قبل التعطيل
audit-field-auto-disable-min-failing = أدنى مدة فشل قبل التعطيل
