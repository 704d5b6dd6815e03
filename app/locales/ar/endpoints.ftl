# The endpoints list: the plan's use, recent alerts, and each endpoint's state.

endpoints-add = إضافة نقطة استقبال
endpoints-move-to-larger-plan = الانتقال إلى خطة أكبر
endpoints-lead = عناوين URL التي تستقبل أحداث هذه الشركة، موقّعةً ومع إعادة المحاولة.
endpoints-loading = جارٍ تحميل نقاط الاستقبال…
endpoints-empty-title = لا توجد نقاط استقبال بعد
endpoints-empty-can-write = أضف نقطة استقبال: عنوان URL بصيغة HTTPS لخادمك الذي يجب أن يستقبل الأحداث. تختار الأحداث التي تصله، ويمكنك أن ترسل إليه حدثًا تجريبيًا فورًا.
endpoints-empty-read-only = لم يُضبط شيء هنا بعد. يمكن لمن لديه صلاحية الكتابة إضافة نقطة استقبال.

# Why events may not be arriving; each sentence ends with a time.
endpoints-paused = متوقفة مؤقتًا
endpoints-paused-by-receiver = طلبت الانتظار (Retry-After)؛ المحاولة التالية
endpoints-paused-after-failures =
    بعد { $count ->
        [zero] { $count } محاولة فاشلة
        [one] محاولة فاشلة واحدة
        [two] محاولتين فاشلتين
        [few] { $count } محاولات فاشلة
        [many] { $count } محاولة فاشلة
       *[other] { $count } محاولة فاشلة
    } على التوالي
endpoints-paused-failing-since = ، فاشلة منذ
endpoints-paused-next-try = ؛ المحاولة التالية
endpoints-failing = فاشلة
endpoints-failing-since = منذ
endpoints-waiting =
    { $count ->
        [zero] { $count }{ $more } عملية توصيل تنتظر
        [one] { $count }{ $more } عملية توصيل تنتظر
        [two] { $count }{ $more } عمليتا توصيل تنتظران
        [few] { $count }{ $more } عمليات توصيل تنتظر
        [many] { $count }{ $more } عملية توصيل تنتظر
       *[other] { $count }{ $more } عملية توصيل تنتظر
    }

endpoints-plan-usage = استخدام الخطة
endpoints-plan-name = خطة { $plan }
endpoints-usage-endpoints = نقاط الاستقبال: { $used } من { $limit }
endpoints-usage-deliveries = عمليات التوصيل في هذه الساعة: { $sent } من { $limit }
endpoints-usage-held = محجوزة بسبب حد الخطة: { $count }
endpoints-usage-until = حتى

endpoints-recent-alerts = تنبيهات حديثة
endpoints-notice-endpoint-disabled = نقطة استقبال معطّلة
endpoints-notice-not-delivered = لم تُسلَّم
