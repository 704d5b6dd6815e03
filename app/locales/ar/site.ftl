# Herald's own pages outside a company's portal: the landing page, the portal's front door, and
# the page for a path that does not exist.

site-example-request = مثال على طلب

site-home-description = يوصل Herald أحداث المنتج إلى نقاط استقبال webhooks التي يضبطها عملاؤه: موقّعةً، ومع إعادة المحاولة، ومسجّلةً.
site-home-eyebrow = توصيل webhooks مستضاف ذاتيًا
site-home-lead = يوصل Herald أحداث منتجك إلى نقاط استقبال HTTPS التي يضبطها عملاؤك: كل رسالة موقّعة، ويُعاد إرسالها عندما يفشل المستقبِل، وكل محاولة مسجّلة حتى لا يضيع شيء دون أثر.
site-home-read-api = اقرأ مرجع API
site-home-open-portal = افتح بوابة الشركة
site-home-how-title = كيف يعمل
site-home-step-send-title = يرسل منتجك حدثًا
site-home-step-send-body = يرسل الخادم الخلفي لديك كل حدث إلى REST API مرة واحدة، مع مفتاح منع التكرار (idempotency key). يعني الرد بالنجاح أن Herald خزّن الحدث وسيوصله.
site-home-step-deliver-title = يوقّعه Herald ويوصله
site-home-step-deliver-body = تستقبله كل نقطة استقبال لدى العملاء مشتركة في نوع الحدث، موقّعًا بسرّ نقطة الاستقبال (ترويسات Standard Webhooks)، وتُعاد محاولة عمليات التوصيل الفاشلة وفق جدول زمني.
site-home-step-control-title = يبقى عملاؤك متحكّمين
site-home-step-control-body = في بوابة الشركة يضيفون نقاط الاستقبال، ويختارون الأحداث التي يريدونها، ويفحصون كل محاولة، ويعيدون إرسال الرسائل، ويجدّدون الأسرار.
site-home-api-title = واجهة API
# Around the code "/api/v1", then "Authorization: Bearer".
site-home-api-before-path = تقع REST API تحت
site-home-api-before-header = وتتبع Svix API، لذا تعمل حِزم Svix SDK الرسمية عند توجيهها إلى هذا الخادم. تُصادَق الطلبات بمفتاح API في الترويسة
site-home-api-after-header = .
site-home-api-v1 = التطبيقات (عملاؤك)، ونقاط الاستقبال، وأنواع الأحداث، والرسائل.
site-home-api-openapi = مستند OpenAPI الذي يصف كل عملية.
site-home-api-health = فحص الحالة لموازنات الحمل والمراقبة.
site-home-api-portal-access = ينشئ رابطًا للاستخدام مرة واحدة يفتح بوابة الشركة لعميل واحد.
site-home-sending-event = إرسال حدث

site-portal-title = بوابة الشركة · Herald
site-portal-lead = بوابة الشركة هي المكان الذي تدير فيه نقاط استقبال webhooks التي يرسل إليها مزوّدك الأحداث: أضف نقاط استقبال، واختر الأحداث، واطّلع على كل محاولة توصيل.
site-portal-open-heading = افتحها من منتج مزوّدك
site-portal-open-body = تُفتح البوابة عبر رابط ينشئه لك المنتج الذي تستخدمه، عادةً من صفحة "Webhooks" في إعداداته. يعمل الرابط مرة واحدة وتنتهي صلاحيته بعد وقت قصير من إنشائه، لذا افتح البوابة من هناك في كل مرة بدلًا من حفظها في المفضلة.
site-portal-developers-heading = لمطوّري المنتج المضيف
# Around the code "url", a field of the response.
site-portal-developers-before-url = أنشئ رابطًا في خادمك الخلفي لتطبيق العميل، ثم أعِد توجيه المسؤول الذي سجّل دخوله إلى الحقل
site-portal-developers-after-url = الوارد في الاستجابة:
site-portal-described-in = الطلب موصوف في
site-portal-openapi-document = مستند OpenAPI

site-not-found-title = الصفحة غير موجودة · Herald
site-not-found-eyebrow = خطأ 404
site-not-found-heading = الصفحة غير موجودة
site-not-found-no-page-at = لا توجد صفحة في
site-not-found-go-home = الذهاب إلى النظرة العامة
