# The team page (members, their permissions, invites), the page an invite link opens, and the
# invitation e-mail.

team-lead = من يمكنه تسجيل الدخول إلى webhooks هذه الشركة، وما يمكن لكلٍّ منهم فعله.
team-users = المستخدمون
team-permission-of = صلاحية { $email }
team-you = (أنت)
team-save = حفظ
team-remove = إزالة { $email }
team-remove-question = إزالة { $email } من الفريق؟ سيفقد الوصول إلى webhooks هذه الشركة فورًا.
team-remove-confirm = نعم، أزل { $email }

# The permissions, as the menus and the tables name them.
team-permission-admin = مسؤول
team-permission-write = قراءة وكتابة
team-permission-read = قراءة فقط

## Invites

team-invited = المدعوّون
team-invited-by = بدعوة من { $name }
# Who sent an invite made from a portal link.
team-host-product = المنتج المضيف
# Followed by a date and time.
team-link-valid-until = الرابط صالح حتى
team-invite-title = دعوة شخص
team-create-invite-link = إنشاء رابط دعوة
team-invite-emailed = أُرسلت الدعوة بالبريد الإلكتروني. يعمل الرابط مرة واحدة، لمدة 7 أيام؛ وها هو هنا أيضًا، ولن يُعرض إلا الآن.
team-invite-link-shown = أرسل إليه هذا الرابط. يعمل مرة واحدة، لمدة 7 أيام، ولن يُعرض إلا الآن.
team-copy-invite-link = نسخ رابط الدعوة

## The page an invite link opens

team-invitation-title = دعوة · Herald
team-invite-unusable-title = لا يمكن استخدام هذه الدعوة
team-invite-unusable = إما أنها استُخدمت من قبل، أو انتهت صلاحيتها. اطلب دعوة جديدة من الشخص الذي دعاك.
team-invite-join-title = الانضمام إلى { $company }
# `permission` in lower case ("read and write").
team-invite-as = دُعيت بصفتك { $email } بصلاحية «{ $permission }».
team-invite-your-password = كلمة المرور الخاصة بك
team-invite-has-account = لديك حساب بالفعل: أدخل كلمة مروره للانضمام.
team-invite-choose-password = اختر كلمة مرور
team-invite-password-rule = 10 أحرف على الأقل.
team-invite-join = انضمام

## The invitation e-mail (plain text; the link goes on a line of its own after team-mail-open)

team-mail-subject = انضم إلى { $company } على Herald
team-mail-invited = دعاك { $by } إلى إدارة webhooks شركة { $company } (بصلاحية «{ $permission }»).
team-mail-open = افتح هذا الرابط للانضمام. يعمل مرة واحدة، خلال 7 أيام:
team-mail-unexpected = إن لم تكن تتوقع هذه الرسالة، فتجاهلها.
