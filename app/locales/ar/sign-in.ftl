# Password sign-in, the page a used or expired portal link lands on, and the company chooser.

sign-in-page-title = تسجيل الدخول · Herald
sign-in-lead = أدِر webhooks شركتك.
sign-in-signed-out = لقد سجّلت الخروج.
sign-in-email = البريد الإلكتروني
sign-in-password = كلمة المرور
sign-in-from-product = قادم من منتجك؟ افتح Webhooks هناك: فهو يسجّل دخولك هنا مباشرة.
sign-in-missing-credentials = أدخل بريدك الإلكتروني وكلمة المرور.

sign-in-link-expired-title = انتهت صلاحية الرابط · Herald
sign-in-link-expired-heading = انتهت صلاحية هذا الرابط: افتح Webhooks مرة أخرى من منتجك
sign-in-link-expired-lead = روابط هذه البوابة تعمل مرة واحدة ولمدة قصيرة، حتى لا يستخدمها أحد غيرك. عُد إلى المنتج الذي أتيت منه وافتح صفحة Webhooks فيه مرة أخرى: فهي تنشئ رابطًا جديدًا.
sign-in-have-password = لديك كلمة مرور لهذه البوابة؟

sign-in-companies-title = شركاتك · Herald
sign-in-companies-heading = شركاتك
sign-in-no-companies = لست عضوًا في أي شركة بعد. اطلب من أحد المشغّلين إضافتك.
