# The event catalogue.

events-lead = كل حدث يمكن لنقاط الاستقبال لديك أن تستقبله: حقوله، ومثال على حمولته.
events-search-aria = البحث في الدليل
events-search-label = البحث في الأحداث
events-search-placeholder = الاسم أو الوصف أو الحقل
events-search = بحث
events-empty-heading = لا توجد أنواع أحداث بعد
events-empty = لم ينشر المنتج أحداثه هنا بعد. ستستقبلها نقاط الاستقبال التي تقبل كل الأحداث فور ظهورها.
events-match-count = { $found ->
    [zero] لا يطابق البحثَ أيٌّ من أنواع الأحداث البالغ عددها { $total }.
    [one] يطابق البحثَ نوع حدث واحد من أصل { $total }.
    [two] يطابق البحثَ نوعا حدث من أصل { $total }.
    [few] يطابق البحثَ { $found } أنواع أحداث من أصل { $total }.
    [many] يطابق البحثَ { $found } نوع حدث من أصل { $total }.
   *[other] عدد أنواع الأحداث المطابقة للبحث: { $found } من أصل { $total }.
}
events-no-match-heading = لا يوجد نوع حدث مطابق
events-no-match = ابحث عن جزء من اسم (invoice)، أو حقل (customer_id)، أو كلمة من وصف.
events-category-other = أخرى
events-deprecated = مهمَل
events-no-schema = لم يُنشر مخطط لهذا الحدث: راجع المثال.
events-fields-of = حقول { $name }
events-always = دائمًا
events-optional = اختياري
events-example = مثال على الحمولة
events-copy-example = نسخ مثال { $name }
events-json-schema = مخطط JSON
