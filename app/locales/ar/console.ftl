# The operator console (/admin): system health, tenants and their branding, plans, the event
# catalogue, API keys and the deployment's audit trail. Also the errors its forms raise.

console-page-title = وحدة تحكم المشغّل · Herald
console-title = وحدة تحكم المشغّل
console-nav = وحدة التحكم
console-health = الحالة
console-tenants = المستأجرون
console-plans = الخطط
console-keys = مفاتيح API
console-save = حفظ
console-field-name = الاسم

## System health

console-health-title = حالة النظام
console-queue-depth = عمق قائمة الانتظار
console-queue-depth-value = { $waiting } في الانتظار (منها { $due } مستحقة الآن)
console-deliveries-per-minute = عمليات التوصيل في الدقيقة
console-failure-rate = نسبة الفشل (آخر ساعة)
console-failure-rate-value =
    { $rate } من { $attempts ->
        [zero] { $attempts } محاولة
        [one] محاولة واحدة
        [two] محاولتين
        [few] { $attempts } محاولات
        [many] { $attempts } محاولة
       *[other] { $attempts } محاولة
    }
console-oldest-due = أقدم عملية توصيل مستحقة
console-none-waiting = لا شيء في الانتظار
console-held = محجوزة بسبب حدود الخطط
console-contract = عقد التوصيل
console-retries = إعادة المحاولة
# Built on the server from the deployment's settings; $delays is a list such as "5m, 30m, 2h".
console-retries-line =
    { $delays } (±{ $jitter }%)، ومهلة الرد { $timeout } ث، وتُعطَّل نقاط الاستقبال بعد { $failures ->
        [zero] { $failures } حالة فشل
        [one] حالة فشل واحدة
        [two] حالتَي فشل
        [few] { $failures } حالات فشل
        [many] { $failures } حالة فشل
       *[other] { $failures } حالة فشل
    } على التوالي؛ وتتقدّم خطة الشركة على هذه القيم
# A sentence around a link to the operational application.
console-operational-before = تُرسَل webhooks التشغيلية (تعطيل نقطة استقبال، استنفاد محاولات الإعادة) إلى نقاط استقبال
console-operational-link = التطبيق التشغيلي
console-operational-after = ؛ أضف نقطة استقبال هناك لتصلك.

# Who uses the send slots.
console-slots-title = خانات الإرسال
console-slots-summary =
    { $count ->
        [zero] { $count } عملية إرسال جارية
        [one] عملية إرسال واحدة جارية
        [two] عمليتا إرسال جاريتان
        [few] { $count } عمليات إرسال جارية
        [many] { $count } عملية إرسال جارية
       *[other] { $count } عملية إرسال جارية
    } على { $instances ->
        [zero] { $instances } مثيل
        [one] مثيل واحد
        [two] مثيلين
        [few] { $instances } مثيلات
        [many] { $instances } مثيلًا
       *[other] { $instances } مثيل
    }، لكلٍّ منها { $slots } خانة إرسال؛ ويمكن لشركة واحدة أن تشغل منها حتى { $company } على كل مثيل، ولنقطة استقبال واحدة حتى { $endpoint }.
console-slots-by-company = خانات الإرسال حسب الشركة
console-more-companies =
    { $count ->
        [zero] و{ $count } شركة أخرى
        [one] وشركة أخرى
        [two] وشركتان أخريان
        [few] و{ $count } شركات أخرى
        [many] و{ $count } شركة أخرى
       *[other] و{ $count } شركة أخرى
    }
console-nothing-sending = لا يُرسَل شيء الآن.

# Endpoints holding deliveries back, and why.
console-held-back-title = نقاط استقبال تحجز عمليات توصيل
console-held-back-empty = لا توجد نقطة استقبال فاشلة أو متوقفة مؤقتًا أو معطّلة ولديها عمليات توصيل تنتظر.
console-more-endpoints =
    { $count ->
        [zero] و{ $count } أخرى
        [one] وواحدة أخرى
        [two] واثنتان أخريان
        [few] و{ $count } أخرى
        [many] و{ $count } أخرى
       *[other] و{ $count } أخرى
    }
console-company-disabled = الشركة معطّلة
console-paused = متوقفة مؤقتًا
console-failing = فاشلة
console-paused-by-receiver = طلبت الانتظار (Retry-After)
console-failures-in-a-row =
    { $count ->
        [zero] { $count } محاولة فاشلة على التوالي
        [one] محاولة فاشلة واحدة على التوالي
        [two] محاولتان فاشلتان على التوالي
        [few] { $count } محاولات فاشلة على التوالي
        [many] { $count } محاولة فاشلة على التوالي
       *[other] { $count } محاولة فاشلة على التوالي
    }
console-paused-after-failures =
    بعد { $count ->
        [zero] { $count } محاولة فاشلة
        [one] محاولة فاشلة واحدة
        [two] محاولتين فاشلتين
        [few] { $count } محاولات فاشلة
        [many] { $count } محاولة فاشلة
       *[other] { $count } محاولة فاشلة
    } على التوالي

## Tenants

console-search = بحث
console-search-placeholder = الاسم أو uid أو id
console-branding-saved = حُفظت الهوية البصرية.
console-no-tenants = لا يوجد مستأجر مطابق
console-plan-of = خطة { $name }
console-no-plan = بلا خطة (بلا حدود)
console-tenant-usage = نقاط الاستقبال: { $endpoints } · المُرسَل في هذه الساعة: { $sent }
console-held-count = محجوزة: { $count }
console-active = نشطة
console-enable-tenant = تفعيل { $name }
console-disable-tenant = تعطيل { $name }
console-disable-tenant-question = هل تريد تعطيل { $name }؟ تُرفض استدعاءاته لواجهة API ولا يُسلَّم أي شيء حتى تفعّله من جديد؛ وما أرسله ينتظر.
console-disable-tenant-confirm = نعم، عطّل { $name }

# A tenant's portal branding.
console-branding-of = الهوية البصرية لـ{ $name }
console-brand-product-name = اسم المنتج
console-brand-logo-url = رابط الشعار
console-brand-accent = لون التمييز
console-brand-upgrade = صفحة ترقية الخطة
console-brand-theme = السمة
console-brand-theme-deployment = إعداد النشر
console-brand-theme-light = فاتحة
console-brand-theme-dark = داكنة
console-brand-theme-auto = تلقائية (حسب نظام المستخدم)
console-brand-save = حفظ الهوية البصرية

# A refused branding field: its name, then what is wrong with it.
console-brand-problem = { $field }: { $problem }.
console-brand-logo = الشعار
console-brand-theme-invalid = السمة: اختر فاتحة أو داكنة أو تلقائية.
console-brand-too-long =
    يجب ألا يتجاوز { $max ->
        [zero] { $max } حرف
        [one] حرفًا واحدًا
        [two] حرفين
        [few] { $max } أحرف
        [many] { $max } حرفًا
       *[other] { $max } حرف
    }
console-brand-control-chars = يجب ألا يحتوي على محارف تحكم
console-brand-hex = يجب أن يكون لونًا بالترميز الست عشري، مثل #0a7c59 أو #0a5
console-brand-upgrade-https = يجب أن يكون عنوانًا يبدأ بـ https://
console-brand-logo-too-big = يجب ألا يتجاوز الشعار المضمَّن { $kb } كيلوبايت؛ ضع رابطًا إلى الصورة بدلًا من ذلك
console-brand-logo-base64 = الصورة المضمَّنة ليست بترميز base64 صالح
console-brand-logo-type = يجب أن يكون الشعار المضمَّن صورة PNG أو JPEG أو GIF أو WebP أو SVG بترميز base64
console-brand-logo-https = يجب أن يكون عنوان https:// (أو رابط data:image/…;base64)
console-brand-logo-host = يجب أن يحدّد مضيفًا، دون اسم مستخدم أو كلمة مرور
console-brand-logo-chars = يجب ألا يحتوي على مسافات أو علامات اقتباس أو أقواس زاوية

## Plans

console-plans-lead = ما يحق لكل مستأجر على خطة أن يفعله. تسري التغييرات فورًا، بما فيها عمليات التوصيل المحجوزة.
console-plan-saved = حُفظت الخطة.
console-new-plan = خطة جديدة
console-plan-max-endpoints = الحد الأقصى لنقاط الاستقبال
console-plan-deliveries-per-hour = عمليات التوصيل في الساعة
console-plan-retry-schedule = جدول إعادة المحاولة
console-plan-timeout-seconds = مهلة الرد (بالثواني)
console-plan-retention-days = مدة الاحتفاظ (بالأيام)
console-plan-auto-disable-failures = التعطيل التلقائي بعد (عدد حالات الفشل)
console-plan-min-failing = …مع استمرار الفشل مدة لا تقل عن
console-plan-min-failing-placeholder = إعداد النشر
console-plan-min-failing-help = 30m، 24h، 2d؛ 30d على الأكثر. فارغ: إعداد النشر.
console-create-plan = إنشاء الخطة
console-save-plan = حفظ { $name }

# A refused plan form. The field names are shorter than the labels.
console-error-whole-number = { $field }: أدخل عددًا صحيحًا
console-plan-timeout = مهلة الرد
console-plan-retention = مدة الاحتفاظ
console-plan-auto-disable = التعطيل التلقائي بعد
console-error-min-failing = أدنى مدة فشل: أدخل مدة مثل 0s أو 30m أو 24h أو 2d، أو اتركها فارغة لاستخدام إعداد النشر

## Event catalogue

console-event-types = أنواع الأحداث
console-archived = مؤرشف
console-archive = أرشفة { $name }
console-restore = استعادة { $name }
console-event-type-form = إنشاء نوع حدث أو تعديله
console-field-category = الفئة
console-field-description = الوصف
console-save-event-type = حفظ نوع الحدث
console-import-title = استيراد ملف دليل
console-catalogue-json = ملف JSON للدليل
console-import = استيراد
console-imported = تم الاستيراد: أُنشئ { $created }، وحُدِّث { $updated }.
console-export = تصدير
console-download-catalogue = تنزيل catalogue.json
console-catalogue-file = ملف الدليل

## API keys

console-keys-lead = مفاتيح واجهة REST API. يُعرض المفتاح مرة واحدة عند إنشائه؛ ولا تُحفظ إلا تجزئته.
console-create-key-title = إنشاء مفتاح
console-key-name-placeholder = خادم الفوترة
console-create-key = إنشاء المفتاح
console-key-copy-now = انسخه الآن: لن يُعرض مرة أخرى.
console-copy-key = نسخ مفتاح API
console-revoked = مُلغى
console-revoke-key = إلغاء { $name }
console-revoke-key-question = هل تريد إلغاء { $name }؟ يُرفض كل استدعاء يُجرى به من الآن؛ ولا يمكن التراجع عن ذلك.
console-revoke-key-confirm = نعم، ألغِ { $name }

## Audit trail

console-audit-lead = كل تغيير في كل شركة وفي النشر.
console-audit-empty = لم يتغيّر شيء بعد
console-pages = الصفحات
console-older-changes = تغييرات أقدم
