<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="bg_BG" sourcelanguage="en">
<context>
    <name>CardMessages</name>
    <message>
        <location filename="../state/messages.py" line="18"/>
        <source>This does not look like a document&apos;s machine-readable zone — please insert the card again.</source>
        <translation>Това не прилича на машинночетимата зона на документ — поставете картата отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="19"/>
        <source>The document was not read completely — please try again.</source>
        <translation>Документът не беше прочетен изцяло — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="20"/>
        <source>The document was not read correctly — please try again.</source>
        <translation>Документът не беше прочетен правилно — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="21"/>
        <source>This kind of document is not supported. Please use an ID card or a passport.</source>
        <translation>Този вид документ не се поддържа. Използвайте лична карта или паспорт.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="22"/>
        <source>The document number could not be read correctly — please try again.</source>
        <translation>Номерът на документа не можа да се прочете правилно — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="23"/>
        <source>The date of birth could not be read correctly — please try again.</source>
        <translation>Датата на раждане не можа да се прочете правилно — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="24"/>
        <source>The expiry date could not be read correctly — please try again.</source>
        <translation>Срокът на валидност не можа да се прочете правилно — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="25"/>
        <source>The personal number could not be read correctly — please try again.</source>
        <translation>Личният номер не можа да се прочете правилно — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="26"/>
        <source>The document data could not be read correctly — please try again.</source>
        <translation>Данните от документа не можаха да се прочетат правилно — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="27"/>
        <source>The date of birth on the document is not valid.</source>
        <translation>Датата на раждане в документа е невалидна.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="28"/>
        <source>The expiry date on the document is not valid.</source>
        <translation>Срокът на валидност в документа е невалиден.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="29"/>
        <source>The sex field could not be read — please try again.</source>
        <translation>Полът в документа не можа да се прочете — опитайте отново.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="30"/>
        <source>The card has expired ({0}).</source>
        <translation>Картата е с изтекъл срок на валидност ({0}).</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="31"/>
        <source>The personal number (EGN) on the document is not valid. Please ask a clerk.</source>
        <translation>ЕГН в документа е невалидно. Обърнете се към служител.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="32"/>
        <source>The personal number (EGN) does not match the date of birth on the document. Please ask a clerk.</source>
        <translation>ЕГН не съответства на датата на раждане в документа. Обърнете се към служител.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="33"/>
        <source>The foreigner&apos;s personal number (LNCH) on the document is not valid. Please ask a clerk.</source>
        <translation>ЛНЧ в документа е невалиден. Обърнете се към служител.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="46"/>
        <location filename="../state/messages.py" line="47"/>
        <source>The card could not be read: </source>
        <translation>Картата не може да бъде прочетена: </translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="54"/>
        <source>The document has expired.</source>
        <translation>Документът е с изтекъл срок на валидност.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="56"/>
        <source>The document carries no ЕГН — please ask a clerk.</source>
        <translation>В документа няма ЕГН — обърнете се към служител.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="62"/>
        <source>The receipt is printed — please take it.</source>
        <translation>Разписката е отпечатана — моля, вземете я.</translation>
    </message>
    <message>
        <location filename="../state/messages.py" line="63"/>
        <source>The printer is not working right now. Please write down the number shown on the screen.</source>
        <translation>Принтерът не работи в момента. Моля, запишете номера от екрана.</translation>
    </message>
</context>
<context>
    <name>CatalogueScreen</name>
    <message>
        <location filename="../views/home.py" line="136"/>
        <source>Search, e.g. “heirs” or “udostoverenie”</source>
        <translation>Търсене, напр. „наследници“ или „udostoverenie“</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="137"/>
        <source>Search for a service</source>
        <translation>Търсене на услуга</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="143"/>
        <source>By life situation</source>
        <translation>По житейска ситуация</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="144"/>
        <source>By municipal unit</source>
        <translation>По звено на общината</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="174"/>
        <source>The list of services is not loaded yet.</source>
        <translation>Списъкът с услуги още не е зареден.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="179"/>
        <source>Found: {n}</source>
        <translation>Намерени: {n}</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="180"/>
        <source>Nothing found. Try another word or browse the lists.</source>
        <translation>Няма намерени. Опитайте с друга дума или разгледайте списъците.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="184"/>
        <source>Choose a life situation</source>
        <translation>Изберете житейска ситуация</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="184"/>
        <source>Choose a unit</source>
        <translation>Изберете звено</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="203"/>
        <source>Services and certificates</source>
        <translation>Услуги и удостоверения</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="206"/>
        <source>Choose a group, or type in the search field with the keyboard below.</source>
        <translation>Изберете група или пишете в полето за търсене с клавиатурата долу.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="212"/>
        <source>%1. Choose a service; Back returns to the groups.</source>
        <translation>%1. Изберете услуга; „Назад“ връща към групите.</translation>
    </message>
</context>
<context>
    <name>Common</name>
    <message>
        <location filename="../views/citizen.py" line="18"/>
        <source>There is no connection to the municipality right now. Please try again later or ask at the counter.</source>
        <translation>В момента няма връзка с общината. Опитайте по-късно или попитайте на гишето.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="20"/>
        <source>This request is saved on this kiosk and will be sent as soon as there is a connection. Try again later.</source>
        <translation>Заявлението е записано на този киоск и ще бъде изпратено веднага щом има връзка. Опитайте по-късно.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="22"/>
        <source>No request with this number and code was found. Check both and try again.</source>
        <translation>Няма заявление с този номер и код. Проверете ги и опитайте отново.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="24"/>
        <source>The access code is not correct.</source>
        <translation>Кодът за достъп не е верен.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="25"/>
        <source>Something went wrong. Please try again or ask a clerk.</source>
        <translation>Нещо се обърка. Опитайте отново или попитайте служител.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="30"/>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="149"/>
        <source>registered</source>
        <translation>регистрирано</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="150"/>
        <source>pending</source>
        <translation>чакащ</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="151"/>
        <source>in progress</source>
        <translation>в изпълнение</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="152"/>
        <source>resolved</source>
        <translation>разрешен</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="153"/>
        <source>rejected</source>
        <translation>отхвърлен</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="362"/>
        <source>Problem</source>
        <translation>Проблем</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="363"/>
        <source>Complaint</source>
        <translation>Жалба</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="364"/>
        <source>Praise</source>
        <translation>Похвала</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="365"/>
        <source>Proposal</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="366"/>
        <source>Question</source>
        <translation>Въпрос</translation>
    </message>
</context>
<context>
    <name>ConsultationsScreen</name>
    <message>
        <location filename="../views/citizen.py" line="294"/>
        <location filename="../views/citizen.py" line="314"/>
        <source>Loading…</source>
        <translation>Зареждане…</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="315"/>
        <source>Open consultations: {n}</source>
        <translation>Открити консултации: {n}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="316"/>
        <source>There are no open consultations now.</source>
        <translation>В момента няма открити консултации.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="320"/>
        <source>Open until {date}</source>
        <translation>Открита до {date}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="323"/>
        <source>Support with my ID card</source>
        <translation>Подкрепям с личната си карта</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="323"/>
        <source>Support: {title}</source>
        <translation>Подкрепа: {title}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="346"/>
        <source>Sending your support…</source>
        <translation>Изпращане на подкрепата…</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="350"/>
        <source>You have already supported this consultation. Each person can support it once.</source>
        <translation>Вече сте подкрепили тази консултация. Всеки човек може да я подкрепи веднъж.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="352"/>
        <source>Thank you, your support is recorded. Supporters so far: {n}</source>
        <translation>Благодарим, подкрепата Ви е записана. Подкрепили досега: {n}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="366"/>
        <source>Public consultations</source>
        <translation>Обществени консултации</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="369"/>
        <source>Read the consultations. To support one, touch its button and place your ID card on the reader.</source>
        <translation>Прочетете консултациите. За да подкрепите някоя, докоснете бутона ѝ и поставете личната си карта на четеца.</translation>
    </message>
</context>
<context>
    <name>DossierScreen</name>
    <message>
        <location filename="../views/tracking.py" line="164"/>
        <source>You need your ID card and the personal access code the municipality gave you. This works only while the kiosk is connected.</source>
        <translation>Нужни са личната Ви карта и персоналният код за достъп, даден Ви от общината. Работи само когато киоскът има връзка.</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="170"/>
        <location filename="../views/tracking.py" line="171"/>
        <source>Personal access code</source>
        <translation>Персонален код за достъп</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="174"/>
        <source>Show my requests</source>
        <translation>Покажи моите заявления</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="191"/>
        <source>Place your ID card on the reader.</source>
        <translation>Поставете личната си карта на четеца.</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="193"/>
        <source>ID card read: {name}</source>
        <translation>Прочетена лична карта: {name}</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="203"/>
        <source>Place your ID card on the reader first.</source>
        <translation>Първо поставете личната си карта на четеца.</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="205"/>
        <source>Personal access code: type at least 4 characters.</source>
        <translation>Персонален код за достъп: въведете поне 4 знака.</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="207"/>
        <source>Looking it up…</source>
        <translation>Търсене…</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="215"/>
        <source>Your requests: {n}</source>
        <translation>Вашите заявления: {n}</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="235"/>
        <source>My requests</source>
        <translation>Моите заявления</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="238"/>
        <source>Place your ID card on the reader, type your access code, then touch Show my requests.</source>
        <translation>Поставете личната си карта на четеца, въведете кода си и докоснете „Покажи моите заявления“.</translation>
    </message>
</context>
<context>
    <name>FeedbackScreen</name>
    <message>
        <location filename="../views/receipt.py" line="202"/>
        <source>How was it?</source>
        <translation>Как беше?</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="204"/>
        <source>Very bad</source>
        <translation>Много лошо</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="204"/>
        <source>Bad</source>
        <translation>Лошо</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="204"/>
        <source>Good</source>
        <translation>Добре</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="204"/>
        <source>Very good</source>
        <translation>Много добре</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="219"/>
        <source>Something else</source>
        <translation>Друго</translation>
    </message>
    <message>
        <location filename="../views/feedback.py" line="45"/>
        <source>Something else: to the start screen</source>
        <translation>Друго: към началния екран</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="221"/>
        <source>Finish</source>
        <translation>Край</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="221"/>
        <source>Finish and clear my data</source>
        <translation>Край и изтриване на моите данни</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="230"/>
        <source>Thank you for your opinion!</source>
        <translation>Благодарим за мнението!</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="235"/>
        <source>Your opinion</source>
        <translation>Вашето мнение</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="238"/>
        <source>How was it? Touch one of the four faces, from very bad to very good.</source>
        <translation>Как беше? Докоснете едно от четирите лица — от много лошо до много добре.</translation>
    </message>
</context>
<context>
    <name>FormErrors</name>
    <message>
        <location filename="../state/forms.py" line="31"/>
        <source>this field is required</source>
        <translation>полето е задължително</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="32"/>
        <source>at most {n} characters</source>
        <translation>най-много {n} знака</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="33"/>
        <source>wrong format</source>
        <translation>неправилен формат</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="34"/>
        <source>enter a number</source>
        <translation>въведете число</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="35"/>
        <source>at least {n}</source>
        <translation>най-малко {n}</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="36"/>
        <source>at most {n}</source>
        <translation>най-много {n}</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="37"/>
        <source>the date is written DD.MM.YYYY</source>
        <translation>датата е във вид ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <source>there is no such date: check the day and the month</source>
        <translation>няма такава дата: проверете деня и месеца</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="38"/>
        <source>the date is between {a} and {b}</source>
        <translation>датата е между {a} и {b}</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="39"/>
        <source>enter a whole number with the digits 0-9</source>
        <translation>въведете цяло число с цифрите 0-9</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="40"/>
        <source>a phone number has only digits, spaces and + ( ) / -</source>
        <translation>телефонът съдържа само цифри, интервал и + ( ) / -</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="41"/>
        <source>not a valid e-mail address</source>
        <translation>неправилен имейл адрес</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="42"/>
        <source>choose one of the options</source>
        <translation>изберете една от възможностите</translation>
    </message>
    <message>
        <location filename="../state/forms.py" line="43"/>
        <source>not a valid personal number, EGN or LNCh (10 digits with a check digit)</source>
        <translation>невалидно ЕГН или ЛНЧ (10 цифри с контролна цифра)</translation>
    </message>
</context>
<context>
    <name>HotlinesScreen</name>
    <message>
        <location filename="../views/citizen.py" line="248"/>
        <source>Search by name or unit</source>
        <translation>Търсене по име или звено</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="249"/>
        <source>Search phone numbers</source>
        <translation>Търсене на телефони</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="266"/>
        <source>Other</source>
        <translation>Други</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="268"/>
        <source>Nothing found.</source>
        <translation>Няма намерени.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="278"/>
        <source>Phone numbers</source>
        <translation>Телефони</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="281"/>
        <source>Phone numbers of the municipality, grouped by unit. Type in the search field to filter.</source>
        <translation>Телефоните на общината, подредени по звена. Пишете в полето за търсене, за да филтрирате.</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../views/request.py" line="23"/>
        <source>Place your ID card on the reader</source>
        <translation>Поставете личната си карта на четеца</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="24"/>
        <source>Put the card with the photo side down, the three lines of letters and digits towards the reader. We read only your name, personal number (EGN), document number and dates; nothing is kept after you finish.</source>
        <translation>Поставете картата със снимката надолу, трите реда букви и цифри към четеца. Четем само името, ЕГН, номера на документа и датите; нищо не се пази, след като приключите.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="27"/>
        <source>Error</source>
        <translation>Грешка</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="31"/>
        <source>Cancel</source>
        <translation>Отказ</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="41"/>
        <source>Please try another document or ask a clerk.</source>
        <translation>Опитайте с друг документ или попитайте служител.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="56"/>
        <source>Identification</source>
        <translation>Идентификация</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="59"/>
        <source>Place your ID card on the reader below the screen.</source>
        <translation>Поставете личната си карта на четеца под екрана.</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <location filename="../views/request.py" line="69"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="69"/>
        <source>Personal number (EGN)</source>
        <translation>ЕГН</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="70"/>
        <source>ID card number</source>
        <translation>Номер на личната карта</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../a11y/strings.py" line="83"/>
        <source>English</source>
        <extracomment>the language&apos;s own name in itself, announced when the citizen switches to it</extracomment>
        <translation>Български</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../views/main_window.py" line="46"/>
        <location filename="../views/main_window.py" line="389"/>
        <source>e-Municipality kiosk</source>
        <translation>Киоск е-Община</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="337"/>
        <source>What you have entered will be deleted. Do you want to cancel?</source>
        <translation>Въведеното ще бъде изтрито. Да се откажа ли?</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="343"/>
        <location filename="../views/main_window.py" line="344"/>
        <source>No, continue</source>
        <translation>Не, продължи</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="345"/>
        <location filename="../views/main_window.py" line="346"/>
        <source>Yes, delete it</source>
        <translation>Да, изтрий</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="352"/>
        <source>Press Back again to delete it, or Enter to continue.</source>
        <translation>Натиснете Назад отново, за да го изтриете, или Enter, за да продължите.</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="370"/>
        <source>You can continue.</source>
        <translation>Можете да продължите.</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="175"/>
        <location filename="../views/main_window.py" line="391"/>
        <source>◀ Back</source>
        <extracomment>the embedded on-screen keyboard (added by the app when built); None until then</extracomment>
        <translation>◀ Назад</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="392"/>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="398"/>
        <source>Finish</source>
        <translation>Край</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="399"/>
        <source>Finish and clear my data</source>
        <translation>Край и изтриване на моите данни</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="400"/>
        <location filename="../views/main_window.py" line="401"/>
        <source>More time</source>
        <translation>Още време</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="434"/>
        <source>EGN {egn} · {name}</source>
        <translation>ЕГН {egn} · {name}</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="436"/>
        <source>ID card: {who}</source>
        <translation>Лична карта: {who}</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="451"/>
        <source>Are you still there? The session ends in {seconds} s. Touch “More time” to continue.</source>
        <translation>Още ли сте тук? Сесията приключва след {seconds} сек. Докоснете „Още време“, за да продължите.</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <location filename="../views/maintenance.py" line="31"/>
        <source>Technician PIN or badge</source>
        <translation>ПИН на техник или карта</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="32"/>
        <source>Technician PIN</source>
        <translation>ПИН на техник</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="36"/>
        <source>Unlock</source>
        <translation>Отключи</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="40"/>
        <source>State of the terminal</source>
        <translation>Състояние на терминала</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="54"/>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="56"/>
        <source>No</source>
        <translation>Не</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="63"/>
        <source>Refresh</source>
        <translation>Обнови</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="65"/>
        <source>Test print</source>
        <translation>Пробен печат</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="136"/>
        <source>Not allowed.</source>
        <translation>Нямате достъп.</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="131"/>
        <source>Badge recognised. Enter your PIN.</source>
        <translation>Значката е разпозната. Въведете своя ПИН.</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="67"/>
        <source>Leave maintenance</source>
        <translation>Изход от поддръжката</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="69"/>
        <source>Restart the kiosk application</source>
        <translation>Рестартиране на приложението</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="71"/>
        <source>Restart the terminal</source>
        <translation>Рестартиране на терминала</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="150"/>
        <source>You may try again.</source>
        <translation>Може да опитате отново.</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="153"/>
        <source>Too many wrong attempts. Entry is locked for {minutes} min {seconds} s.</source>
        <translation>Твърде много грешни опити. Входът е заключен за {minutes} мин. {seconds} сек.</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="169"/>
        <source>Reading the state of the terminal…</source>
        <translation>Четене на състоянието на терминала…</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="180"/>
        <source>Devices: cannot be read ({error})</source>
        <translation>Устройства: не могат да се прочетат ({error})</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="183"/>
        <location filename="../views/maintenance.py" line="254"/>
        <source>Terminal</source>
        <translation>Терминал</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="183"/>
        <source>Hub</source>
        <translation>Сървър</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="184"/>
        <source>Waiting to be sent</source>
        <translation>Чакат изпращане</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="185"/>
        <source>Oldest waiting item</source>
        <translation>Най-старият чакащ запис</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="186"/>
        <source>Refused by the hub</source>
        <translation>Отказани от сървъра</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="186"/>
        <source>Last synchronisation</source>
        <translation>Последна синхронизация</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="187"/>
        <source>Last synchronisation error</source>
        <translation>Последна грешка при синхронизация</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="187"/>
        <source>Store error</source>
        <translation>Грешка в базата данни</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="188"/>
        <source>Online</source>
        <translation>Връзка</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="188"/>
        <source>Delivered</source>
        <translation>Доставени</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="193"/>
        <source>Catalogue version</source>
        <translation>Версия на каталога</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="193"/>
        <source>none</source>
        <translation>няма</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="199"/>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="201"/>
        <source>no</source>
        <translation>не</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="203"/>
        <source>never reached</source>
        <translation>никога не е достигнат</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="203"/>
        <source>never</source>
        <translation>никога</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="204"/>
        <source>not enrolled</source>
        <translation>не е регистриран</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="207"/>
        <source> s ago)</source>
        <translation> сек. по-рано)</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="208"/>
        <source> min ago)</source>
        <translation> мин. по-рано)</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="208"/>
        <source> h ago)</source>
        <translation> ч. по-рано)</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="209"/>
        <source> days ago)</source>
        <translation> дни по-рано)</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="209"/>
        <source>last contact </source>
        <translation>последна връзка </translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="217"/>
        <source>{english}</source>
        <comment>the English half of a device&apos;s bilingual reason</comment>
        <translation>{bulgarian}</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="222"/>
        <source>ID card reader</source>
        <translation>Четец за лични карти</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="222"/>
        <source>Scanner</source>
        <translation>Скенер</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="223"/>
        <source>Badge reader</source>
        <translation>Четец за карти на техници</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="223"/>
        <source>Printer</source>
        <translation>Принтер</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="224"/>
        <source>Speech</source>
        <translation>Говор</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="224"/>
        <source>Buttons</source>
        <translation>Бутони</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="224"/>
        <source>Headset</source>
        <translation>Слушалки</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="225"/>
        <source>working</source>
        <translation>работи</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="225"/>
        <source>working with a problem</source>
        <translation>работи с проблем</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="226"/>
        <source>not working</source>
        <translation>не работи</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="226"/>
        <source>state unknown</source>
        <translation>неизвестно състояние</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="230"/>
        <source>connected</source>
        <translation>свързан</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="237"/>
        <source>last read {time}</source>
        <translation>последно четене {time}</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="238"/>
        <source>nothing read yet</source>
        <translation>още нищо не е прочетено</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="240"/>
        <source>error since {time}: {error}</source>
        <translation>грешка от {time}: {error}</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="245"/>
        <source>Reading the state failed: %1</source>
        <translation>Състоянието не можа да се прочете: %1</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="253"/>
        <source>Code page</source>
        <translation>Кодова страница</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="253"/>
        <source>Cyrillic</source>
        <translation>Кирилица</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="253"/>
        <source>Euro</source>
        <translation>Евро</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="254"/>
        <source>Time</source>
        <translation>Час</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="255"/>
        <source>The test page prints:</source>
        <translation>Пробната страница отпечатва:</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="256"/>
        <source>and a QR code: {text}</source>
        <translation>и QR код: {text}</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="265"/>
        <source>The test page was not printed: {error}</source>
        <translation>Пробната страница не е отпечатана: {error}</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="271"/>
        <source>Leave maintenance mode and go back to the citizen screens?</source>
        <translation>Да се излезе ли от поддръжката и да се върнат екраните за гражданите?</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="272"/>
        <source>Restart the kiosk application now?</source>
        <translation>Да се рестартира ли приложението сега?</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="273"/>
        <source>Restart the whole terminal now?</source>
        <translation>Да се рестартира ли целият терминал сега?</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="323"/>
        <source>Maintenance</source>
        <translation>Поддръжка</translation>
    </message>
    <message>
        <location filename="../views/maintenance.py" line="326"/>
        <source>For technicians only.</source>
        <translation>Само за техници.</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../state/paper.py" line="41"/>
        <source>Municipality</source>
        <translation>Община</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="44"/>
        <source>Accepted as information: filed without an ID card, no proceedings are opened and no answer is sent (Administrative Procedure Code, art. 111).</source>
        <translation>Приет за информация: подаден без лична карта, по него не се образува производство и не се изпраща отговор (АПК, чл. 111).</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="47"/>
        <source>Official signal, filed with an ID card.</source>
        <translation>Официален сигнал, подаден с лична карта.</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="49"/>
        <source>Place</source>
        <translation>Място</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="50"/>
        <source>Incoming number</source>
        <translation>Входящ номер</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="51"/>
        <source>Reference (provisional)</source>
        <translation>Номер (временен)</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="53"/>
        <source>Tracking code</source>
        <translation>Код за проследяване</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="54"/>
        <source>Date and time</source>
        <translation>Дата и час</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="57"/>
        <source>Fee</source>
        <translation>Такса</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="59"/>
        <source>Deadline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="61"/>
        <source>Answer due by</source>
        <translation>Отговор до</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="63"/>
        <source>Filed at</source>
        <translation>Подадено в</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="65"/>
        <source>Your request is saved and will be sent automatically.</source>
        <translation>Заявлението е записано и ще бъде изпратено автоматично.</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="68"/>
        <source>Track your request</source>
        <translation>Проследете заявлението си</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="69"/>
        <source>Tracking: with the number and the code on a kiosk, or at the QR code&apos;s address.</source>
        <translation>Проследяване: с номера и кода на киоска или на адреса от QR кода.</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="73"/>
        <source>Questions — </source>
        <translation>Телефон за справки — </translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="44"/>
        <source>Application: {name}</source>
        <translation>Заявление за {name_lower}</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="50"/>
        <source>Signal: {category}</source>
        <translation>Сигнал: {category}</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="51"/>
        <source>Signal</source>
        <translation>Сигнал</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../views/receipt.py" line="50"/>
        <source>Your request is registered</source>
        <translation>Заявлението Ви е регистрирано</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="54"/>
        <source>Incoming number:</source>
        <translation>Входящ номер:</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="52"/>
        <source>Your request is saved</source>
        <translation>Заявлението Ви е записано</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="48"/>
        <source>Your signal is registered</source>
        <translation>Сигналът Ви е регистриран</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="48"/>
        <source>Your signal is saved</source>
        <translation>Сигналът Ви е записан</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="56"/>
        <source>There is no connection to the municipality right now. It will be sent automatically. Your reference number (valid for tracking):</source>
        <translation>В момента няма връзка с общината. То ще бъде изпратено автоматично. Вашият номер (важи и за проследяване):</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="65"/>
        <source>Tracking code: {code}</source>
        <translation>Код за проследяване: {code}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="70"/>
        <source>Accepted as information: filed without an ID card, so no proceedings are opened and no answer is sent (АПК, art. 111).</source>
        <translation>Приет за информация: подаден е без лична карта, затова по него не се образува производство и не се изпраща отговор (АПК, чл. 111).</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="72"/>
        <source>An official signal, filed with your ID card: the municipality answers it.</source>
        <translation>Официален сигнал, подаден с лична карта: общината ще Ви отговори.</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="75"/>
        <source>Place: {place}</source>
        <translation>Място: {place}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="77"/>
        <source>Date and time: {when}</source>
        <translation>Дата и час: {when}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="79"/>
        <location filename="../views/receipt.py" line="166"/>
        <source>Fee: {fee}</source>
        <translation>Такса: {fee}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="81"/>
        <location filename="../views/receipt.py" line="168"/>
        <source>Deadline: {deadline}</source>
        <translation>Срок: {deadline}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="83"/>
        <location filename="../views/receipt.py" line="170"/>
        <source>Answer due by: {date}</source>
        <translation>Отговор до: {date}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="85"/>
        <source>Filed at: {office}</source>
        <translation>Подадено в: {office}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="86"/>
        <source>Track it with the number and the code on a kiosk, or with the QR code.</source>
        <translation>Проследете го с номера и кода на киоск или с QR кода.</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="88"/>
        <source>Questions: {hotline}</source>
        <translation>Телефон за справки — {hotline}</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="136"/>
        <source>The printer is not working right now. Please write down the number or photograph the QR code.</source>
        <translation>Принтерът не работи в момента. Моля, запишете номера или снимайте QR кода.</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="91"/>
        <source>QR code for tracking this request</source>
        <translation>QR код за проследяване на заявлението</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="42"/>
        <source>Printing your receipt…</source>
        <translation>Отпечатване на разписката…</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="100"/>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="103"/>
        <source>Read the number aloud</source>
        <translation>Прочети номера на глас</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="110"/>
        <source>Another request for me</source>
        <translation>Друго заявление за мен</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="111"/>
        <source>Another request for me, with the same ID card</source>
        <translation>Друго заявление за мен, със същата лична карта</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="135"/>
        <source>The receipt is printed — please take it.</source>
        <translation>Разписката е отпечатана — моля, вземете я.</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="162"/>
        <source>Number {number}.</source>
        <translation>Номер {number}.</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="164"/>
        <source>Tracking code {code}.</source>
        <translation>Код за проследяване {code}.</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="186"/>
        <source>Receipt</source>
        <translation>Разписка</translation>
    </message>
    <message>
        <location filename="../views/receipt.py" line="189"/>
        <source>Take your printed receipt. The number and the code are also on the screen.</source>
        <translation>Вземете отпечатаната разписка. Номерът и кодът са и на екрана.</translation>
    </message>
</context>
<context>
    <name>RequestFormScreen</name>
    <message>
        <location filename="../views/request.py" line="91"/>
        <source>This service is no longer in the list.</source>
        <translation>Тази услуга вече не е в списъка.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="96"/>
        <source>Applicant (from your ID card)</source>
        <translation>Заявител (от личната карта)</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="100"/>
        <source>Details of the request</source>
        <translation>Данни за заявлението</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="124"/>
        <source>DD.MM.YYYY</source>
        <translation>ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="126"/>
        <source>day, month and year, with dots</source>
        <translation>ден, месец и година, с точки</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="138"/>
        <source>How fast?</source>
        <translation>Колко бързо?</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="155"/>
        <source>Continue to review</source>
        <translation>Продължи към преглед</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="186"/>
        <source>Please correct: </source>
        <translation>Моля, поправете: </translation>
    </message>
    <message>
        <location filename="../views/request.py" line="205"/>
        <source>Request</source>
        <translation>Заявление</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="208"/>
        <source>Fill in the fields marked with a star, choose how fast, then touch Continue.</source>
        <translation>Попълнете полетата със звездичка, изберете колко бързо и докоснете „Продължи“.</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../views/request.py" line="288"/>
        <source>Service level</source>
        <translation>Вид услуга</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="228"/>
        <source>Please check before sending</source>
        <translation>Моля, проверете преди изпращане</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="244"/>
        <source>Change</source>
        <translation>Промяна</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="246"/>
        <source>Confirm and send</source>
        <translation>Потвърди и изпрати</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="264"/>
        <source>The printer is out of paper: there will be no printed receipt. You will get the number on the screen, large, with a QR code to photograph, and you can have it read aloud.</source>
        <translation>В принтера няма хартия: няма да получите разпечатана разписка. Номерът ще се покаже на екрана, с едри цифри и QR код, който можете да снимате, и можете да го чуете на глас.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="276"/>
        <source>Service</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="280"/>
        <source>Deadline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="281"/>
        <source>Fee</source>
        <translation>Такса</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="293"/>
        <source>Type</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="295"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="296"/>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="299"/>
        <source>Location</source>
        <translation>Място</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="300"/>
        <source>Filed as</source>
        <translation>Подава се като</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="300"/>
        <source>information only (without an ID card)</source>
        <translation>само за информация (без лична карта)</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="301"/>
        <source>an official signal (with your ID card)</source>
        <translation>официален сигнал (с лична карта)</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="305"/>
        <source>Sender</source>
        <translation>Подател</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="305"/>
        <source>anonymous (only recorded)</source>
        <translation>анонимен (само се регистрира)</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="307"/>
        <source>Applicant</source>
        <translation>Заявител</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="309"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="311"/>
        <source>E-mail</source>
        <translation>Имейл</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="332"/>
        <source>Sending… please wait.</source>
        <translation>Изпращане… моля, изчакайте.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="344"/>
        <source>Your request could not be saved on this kiosk. Nothing was sent. Please ask a clerk.</source>
        <translation>Заявлението не можа да бъде записано на този киоск. Нищо не е изпратено. Моля, обърнете се към служител.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="354"/>
        <source>Review</source>
        <translation>Преглед</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="357"/>
        <source>Check the details. Touch “Confirm and send” to file it, or “Change” to go back.</source>
        <translation>Проверете данните. Докоснете „Потвърди и изпрати“, за да го подадете, или „Промяна“, за да се върнете.</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <location filename="../views/home.py" line="218"/>
        <source>This service is no longer in the list.</source>
        <translation>Тази услуга вече не е в списъка.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="226"/>
        <source>Unit: {unit}</source>
        <translation>Звено: {unit}</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="227"/>
        <source>Deadline and fee</source>
        <translation>Срок и такса</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="232"/>
        <source>{tier}: {terms}</source>
        <translation>{tier}: {terms}</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="236"/>
        <source>Documents you need</source>
        <translation>Необходими документи</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="240"/>
        <source>Where to go</source>
        <translation>Къде да отидете</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="243"/>
        <source>Legal basis</source>
        <translation>Правно основание</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="246"/>
        <source>Apply here with my ID card</source>
        <translation>Подай тук с личната си карта</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="258"/>
        <source>Service</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="261"/>
        <source>Read the deadline, the fee and the documents. To apply, touch the button at the bottom.</source>
        <translation>Прочетете срока, таксата и документите. За да подадете заявление, докоснете бутона долу.</translation>
    </message>
</context>
<context>
    <name>SignalScreen</name>
    <message>
        <location filename="../views/citizen.py" line="45"/>
        <source>What kind of signal?</source>
        <translation>Какъв е сигналът?</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="56"/>
        <source>About what?</source>
        <translation>За какво?</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="69"/>
        <source>Describe it</source>
        <translation>Опишете го</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="71"/>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="75"/>
        <location filename="../views/citizen.py" line="150"/>
        <source>Where? (optional)</source>
        <translation>Къде? (по желание)</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="77"/>
        <source>Choose a place or a street of the municipality, or type the street and number.</source>
        <translation>Изберете място или улица в общината или напишете улицата и номера.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="88"/>
        <location filename="../views/citizen.py" line="89"/>
        <source>Street and number</source>
        <translation>Улица и номер</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="94"/>
        <source>Landmark (optional), e.g. next to the bus stop</source>
        <translation>Ориентир (по желание), напр. до спирката</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="95"/>
        <source>Landmark (optional)</source>
        <translation>Ориентир (по желание)</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="102"/>
        <source>With your ID card, or as information?</source>
        <translation>С лична карта или само за информация?</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="103"/>
        <location filename="../views/citizen.py" line="104"/>
        <source>Without my ID card: only as information</source>
        <translation>Без лична карта: само за информация</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="113"/>
        <source>How can the municipality answer you? (optional)</source>
        <translation>Как общината да Ви отговори? (по желание)</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="115"/>
        <source>Phone, e.g. 0888 123 456</source>
        <translation>Телефон, напр. 0888 123 456</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="116"/>
        <source>Phone (optional)</source>
        <translation>Телефон (по желание)</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="119"/>
        <source>E-mail</source>
        <translation>Имейл</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="120"/>
        <source>E-mail (optional)</source>
        <translation>Имейл (по желание)</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="150"/>
        <source>Where? *</source>
        <translation>Къде? *</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="157"/>
        <source>Signals in this category need your ID card: they are official and the municipality answers them.</source>
        <translation>Сигналите в тази категория се подават с лична карта: те са официални и общината отговаря на тях.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="159"/>
        <source>Without the ID card the signal is accepted as information only: by law (АПК, art. 111) no proceedings are opened on anonymous signals, and you get no answer.</source>
        <translation>Без лична карта сигналът се приема само за информация: по закон (АПК, чл. 111) по анонимни сигнали не се образува производство и не получавате отговор.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="162"/>
        <source>With your ID card the signal is official: it is registered and the municipality answers within two months. Without it, it is accepted as information only (АПК, art. 111).</source>
        <translation>С лична карта сигналът е официален: регистрира се и общината отговаря в срок от два месеца. Без нея се приема само за информация (АПК, чл. 111).</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="236"/>
        <source>Choose the kind and the category, describe the problem, say where it is, then touch Continue. With your ID card the signal is official; without it, it is accepted as information.</source>
        <translation>Изберете вида и категорията, опишете проблема, посочете къде е и докоснете „Продължи“. С лична карта сигналът е официален, без нея се приема за информация.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="131"/>
        <source>Continue</source>
        <translation>Продължи</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="174"/>
        <source>Category: choose what the signal is about</source>
        <translation>Категория: изберете за какво е сигналът</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="177"/>
        <source>Description: write at least a few words</source>
        <translation>Описание: напишете поне няколко думи</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="182"/>
        <source>Where: choose a place or type the street, so the municipality can find it</source>
        <translation>Къде: изберете място или напишете улицата, за да може общината да го намери</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="193"/>
        <source>Phone: digits only, e.g. 0888 123 456</source>
        <translation>Телефон: само цифри, напр. 0888 123 456</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="195"/>
        <source>E-mail: for example name@example.bg</source>
        <translation>Имейл: например ime@primer.bg</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="201"/>
        <source>Please correct: </source>
        <translation>Моля, поправете: </translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="233"/>
        <source>Signal</source>
        <translation>Сигнал</translation>
    </message>
</context>
<context>
    <name>Speech</name>
    <message>
        <location filename="../a11y/strings.py" line="33"/>
        <source>button</source>
        <extracomment>every spoken phrase of the accessibility layer: id → English source (context &quot;Speech&quot;); {placeholders} are filled after translation</extracomment>
        <translation>бутон</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="34"/>
        <source>toggle button</source>
        <translation>превключвател</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="35"/>
        <source>check box</source>
        <translation>отметка</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="36"/>
        <source>radio button</source>
        <translation>радио бутон</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="37"/>
        <source>text field</source>
        <translation>поле за текст</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="38"/>
        <source>code field</source>
        <translation>поле за код</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="39"/>
        <source>drop-down list</source>
        <translation>падащ списък</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="40"/>
        <source>list</source>
        <translation>списък</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="41"/>
        <source>list item</source>
        <translation>елемент от списък</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="42"/>
        <source>number field</source>
        <translation>поле за число</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="43"/>
        <source>slider</source>
        <translation>плъзгач</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="44"/>
        <source>link</source>
        <translation>връзка</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="45"/>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="46"/>
        <source>tab</source>
        <translation>раздел</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="48"/>
        <source>checked</source>
        <translation>отметнато</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="49"/>
        <source>not checked</source>
        <translation>неотметнато</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="50"/>
        <source>selected</source>
        <translation>избрано</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="51"/>
        <source>not selected</source>
        <translation>неизбрано</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="53"/>
        <source>on</source>
        <extracomment>a toggle button&apos;s state</extracomment>
        <translation>включено</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="55"/>
        <source>off</source>
        <extracomment>a toggle button&apos;s state</extracomment>
        <translation>изключено</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="56"/>
        <source>unavailable</source>
        <translation>недостъпен</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="57"/>
        <source>empty</source>
        <translation>празно</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="58"/>
        <source>required</source>
        <translation>задължително</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="60"/>
        <source>{index} of {count}</source>
        <extracomment>an item&apos;s place in a list</extracomment>
        <translation>{index} от {count}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="62"/>
        <source>characters entered: {count}</source>
        <extracomment>the count after a colon, so that no noun has to agree with it</extracomment>
        <translation>въведени знаци: {count}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="64"/>
        <source>star</source>
        <extracomment>a hidden character of a code, spoken instead of it</extracomment>
        <translation>звезда</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="66"/>
        <source>deleted {what}</source>
        <extracomment>{what}: the characters deleted, or &quot;star&quot;</extracomment>
        <translation>изтрито {what}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="67"/>
        <source>nothing to delete</source>
        <translation>няма какво да се изтрие</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="68"/>
        <source>personal data, headset only</source>
        <translation>лични данни, само през слушалки</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="69"/>
        <source>Personal data is read only through a headset. Plug a headset into the jack.</source>
        <translation>Личните данни се четат само през слушалки. Включете слушалки в гнездото.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="72"/>
        <source>Speech mode on. Arrows or 2, 4, 6, 8 move, 5 or Enter selects, F1 help.</source>
        <translation>Гласов режим включен. Стрелките или 2, 4, 6, 8 преместват, 5 или Enter избира, F1 помощ.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="74"/>
        <source>Speech mode off.</source>
        <translation>Гласов режим изключен.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="75"/>
        <source>Volume {step} of {steps}</source>
        <translation>Сила {step} от {steps}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="76"/>
        <source>Rate {step} of {steps}</source>
        <translation>Скорост {step} от {steps}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="77"/>
        <source>Paused.</source>
        <translation>Пауза.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="78"/>
        <source>High contrast on.</source>
        <translation>Висок контраст включен.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="79"/>
        <source>High contrast off.</source>
        <translation>Висок контраст изключен.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="80"/>
        <source>Large text on.</source>
        <translation>Едър текст включен.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="81"/>
        <source>Large text off.</source>
        <translation>Едър текст изключен.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="84"/>
        <source>Headset connected.</source>
        <translation>Слушалки включени.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="85"/>
        <source>Headset removed. Speech continues on the speaker, without personal data.</source>
        <translation>Слушалки изключени. Говорът продължава през високоговорителя, без лични данни.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="87"/>
        <source>No further help for this screen.</source>
        <translation>Няма допълнителна помощ за този екран.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="88"/>
        <source>Back.</source>
        <translation>Назад.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="90"/>
        <source>Keyboard. Arrows or 2, 4, 6, 8 choose a key, 5 or Enter types it, Clear deletes, Back or Done closes, F2 reads what you typed.</source>
        <translation>Клавиатура. Стрелките или 2, 4, 6, 8 избират клавиш, 5 или Enter го въвежда, Clear изтрива, Back или Готово затваря, F2 чете въведеното.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="93"/>
        <source>Keyboard closed.</source>
        <translation>Клавиатурата е затворена.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="94"/>
        <source>The keyboard is for text fields. Move to a field first.</source>
        <translation>Клавиатурата е за текстови полета. Преминете на поле.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="95"/>
        <source>Typed: {text}</source>
        <translation>Въведено: {text}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="97"/>
        <location filename="../a11y/strings.py" line="146"/>
        <source>space</source>
        <extracomment>the keyboard&apos;s space bar, and the space character</extracomment>
        <translation>интервал</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="99"/>
        <source>delete</source>
        <extracomment>the keyboard&apos;s key that deletes the last character</extracomment>
        <translation>изтрий</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="101"/>
        <source>capitals</source>
        <extracomment>the keyboard&apos;s shift key</extracomment>
        <translation>главни</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="102"/>
        <source>capitals on</source>
        <translation>главни включени</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="103"/>
        <source>capitals off</source>
        <translation>главни изключени</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="104"/>
        <source>done</source>
        <translation>готово</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="106"/>
        <source>change layout, {name}</source>
        <extracomment>{name}: a keyboard layout&apos;s name</extracomment>
        <translation>смяна на подредбата, {name}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="107"/>
        <source>layout {name}</source>
        <translation>подредба {name}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="109"/>
        <source>capital {letter}</source>
        <extracomment>{letter}: a capital letter, given in lower case so that the engine says the letter</extracomment>
        <translation>главно {letter}</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="111"/>
        <source>Bulgarian phonetic</source>
        <extracomment>keyboard layouts&apos; names, after &quot;change layout,&quot; and &quot;layout&quot;</extracomment>
        <translation>българска фонетична</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="112"/>
        <source>Bulgarian BDS</source>
        <translation>българска БДС</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="114"/>
        <source>English</source>
        <extracomment>the English keyboard layout&apos;s name (&quot;английска&quot; in Bulgarian, not the language&apos;s own name)</extracomment>
        <translation>английска</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="116"/>
        <source>The session ends in {seconds} seconds. Press any key to continue.</source>
        <translation>Сесията ще приключи след {seconds} секунди. Натиснете който и да е клавиш, за да продължите.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="118"/>
        <source>Time extended.</source>
        <translation>Времето е удължено.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="120"/>
        <source>The session has ended. Personal data was erased.</source>
        <translation>Сесията приключи. Личните данни са изтрити.</translation>
    </message>
    <message>
        <source>Finished. Your personal data was erased. Speech is off.</source>
        <translation>Приключихте. Личните ви данни са изтрити. Гласовият режим е изключен.</translation>
    </message>
    <message>
        <source>The ID card is read.</source>
        <translation>Личната карта е прочетена.</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="122"/>
        <source>Speech</source>
        <translation>Говор</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="123"/>
        <source>Contrast</source>
        <translation>Контраст</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="124"/>
        <location filename="../a11y/strings.py" line="131"/>
        <source>Large text</source>
        <translation>Едър текст</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="125"/>
        <source>Accessibility status</source>
        <translation>Състояние на достъпността</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="127"/>
        <source>◐ Contrast</source>
        <extracomment>a switch&apos;s label; in large text only its first word is shown</extracomment>
        <translation>◐ Контраст</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="128"/>
        <source>High contrast</source>
        <translation>Висок контраст</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="130"/>
        <source>A+</source>
        <extracomment>a switch&apos;s label: the same symbol in every language</extracomment>
        <translation>A+</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="140"/>
        <source>dash</source>
        <extracomment>the phrases whose words are the language&apos;s own name, in a context of their own the characters the keyboard types that are spoken by name, not as themselves: character → English source (context &quot;Speech&quot;)</extracomment>
        <translation>тире</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="141"/>
        <source>dot</source>
        <translation>точка</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="142"/>
        <source>comma</source>
        <translation>запетая</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="144"/>
        <source>at</source>
        <extracomment>the character @</extracomment>
        <translation>маймунка</translation>
    </message>
    <message>
        <location filename="../a11y/strings.py" line="145"/>
        <source>slash</source>
        <translation>наклонена черта</translation>
    </message>
</context>
<context>
    <name>TestPage</name>
    <message>
        <location filename="../state/maintenance.py" line="367"/>
        <source>The test page is printed.</source>
        <extracomment>maintenance mode left alone this long goes back to the citizen screens the longest single wait (a day): the doubling stops there the store&apos;s event log (StoreBackend.audit); the app wires it, None in bare tests a credential check is running on a worker (`attempt_later`)</extracomment>
        <translation>Пробната страница е отпечатана.</translation>
    </message>
    <message>
        <location filename="../state/maintenance.py" line="382"/>
        <location filename="../state/paper.py" line="25"/>
        <source>Test print</source>
        <translation>Пробен печат</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="20"/>
        <source>Code page</source>
        <translation>Кодова страница</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="21"/>
        <source>Cyrillic</source>
        <translation>Кирилица</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="22"/>
        <source>Euro</source>
        <translation>Евро</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="23"/>
        <source>Terminal</source>
        <translation>Терминал</translation>
    </message>
    <message>
        <location filename="../state/paper.py" line="24"/>
        <source>Time</source>
        <translation>Час</translation>
    </message>
</context>
<context>
    <name>Tiers</name>
    <message>
        <location filename="../state/wording.py" line="21"/>
        <source>Ordinary</source>
        <translation>Обикновена</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="22"/>
        <source>Fast</source>
        <translation>Бърза</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="23"/>
        <source>Express</source>
        <translation>Експресна</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="12"/>
        <source>immediately</source>
        <extracomment>DeadlineUnit value → the English source; &quot;{n}&quot; is filled with the amount</extracomment>
        <translation>веднага</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="13"/>
        <source>the same day</source>
        <translation>в деня на заявяването</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="14"/>
        <source>{n} hours</source>
        <translation>{n} часа</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="15"/>
        <source>{n} days</source>
        <translation>{n} дни</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="16"/>
        <source>{n} working days</source>
        <translation>{n} работни дни</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="28"/>
        <source>not published</source>
        <comment>the fee</comment>
        <translation>не е обявена</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="30"/>
        <source>free</source>
        <translation>безплатно</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="32"/>
        <source>€{euros}.{cents}</source>
        <translation>{euros},{cents} €</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="38"/>
        <source>not published</source>
        <comment>the deadline</comment>
        <translation>не е обявен</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="48"/>
        <source>deadline not published</source>
        <translation>срокът не е обявен</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="50"/>
        <source>fee not published</source>
        <translation>таксата не е обявена</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="52"/>
        <source>{deadline}, fee {fee}</source>
        <translation>{deadline}, такса {fee}</translation>
    </message>
    <message>
        <location filename="../state/wording.py" line="52"/>
        <source>{deadline}, no fee</source>
        <translation>{deadline}, без такса</translation>
    </message>
</context>
<context>
    <name>TrackScreen</name>
    <message>
        <location filename="../views/tracking.py" line="24"/>
        <source>Type the number and the tracking code from your receipt, or hold the receipt&apos;s QR code under the scanner.</source>
        <translation>Въведете номера и кода за проследяване от разписката или поднесете QR кода на разписката към скенера.</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="26"/>
        <source>Number, e.g. 94-00012/05.01.2026 or K07-000123</source>
        <translation>Номер, напр. 94-00012/05.01.2026 или K07-000123</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="27"/>
        <source>Request number</source>
        <translation>Номер на заявлението</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="29"/>
        <location filename="../views/tracking.py" line="30"/>
        <source>Tracking code</source>
        <translation>Код за проследяване</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="34"/>
        <source>Show status</source>
        <translation>Покажи състоянието</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="58"/>
        <source>This code is not from one of our receipts.</source>
        <translation>Този код не е от наша разписка.</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="68"/>
        <source>Please type the number (and the tracking code, if your receipt has one).</source>
        <translation>Моля, въведете номера (и кода за проследяване, ако разписката Ви има такъв).</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="82"/>
        <source>Looking it up…</source>
        <translation>Търсене…</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="92"/>
        <source>{number}: {title} — {status}</source>
        <translation>{number}: {title} — {status}</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="113"/>
        <source>No request with this number and code was found. Type the incoming number from your receipt, e.g. {full} or {short}, and the tracking code.</source>
        <translation>Няма заявление с този номер и код. Въведете входящия номер от разписката, напр. {full} или {short}, и кода за проследяване.</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="141"/>
        <source>Track a request</source>
        <translation>Проследяване на заявление</translation>
    </message>
    <message>
        <location filename="../views/tracking.py" line="144"/>
        <source>Type the number and the tracking code, then touch Show status. Or scan the QR code of your receipt.</source>
        <translation>Въведете номера и кода и докоснете „Покажи състоянието“. Или сканирайте QR кода от разписката.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../views/home.py" line="30"/>
        <location filename="../views/home.py" line="91"/>
        <source>Municipality</source>
        <translation>Община</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="42"/>
        <source>The list of services is not loaded yet. Tracking and signals still work.</source>
        <translation>Списъкът с услуги още не е зареден. Проследяването и сигналите работят.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="43"/>
        <source>How can we help you? Touch a button.</source>
        <translation>С какво можем да помогнем? Докоснете бутон.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="55"/>
        <source>Phone numbers</source>
        <translation>Телефони</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="49"/>
        <source>Public consultations</source>
        <translation>Обществени консултации</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="51"/>
        <source>Services
and certificates</source>
        <translation>Услуги
и удостоверения</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="52"/>
        <source>Report a problem
or send a signal</source>
        <translation>Сигнал
за проблем</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="53"/>
        <source>Track my request</source>
        <translation>Проследяване
на заявление</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="54"/>
        <source>My requests
(ID card and code)</source>
        <translation>Моите заявления
(карта и код)</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="56"/>
        <source>Public
consultations</source>
        <translation>Обществени
консултации</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="72"/>
        <source>Spoken guidance</source>
        <translation>Гласово упътване</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="72"/>
        <source>Spoken guidance (headphones)</source>
        <translation>Гласово упътване (слушалки)</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="120"/>
        <source>Welcome</source>
        <translation>Добре дошли</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="123"/>
        <source>Choose what you need: services, a signal, tracking, your requests, phone numbers or consultations.</source>
        <translation>Изберете какво Ви трябва: услуги, сигнал, проследяване, Вашите заявления, телефони или консултации.</translation>
    </message>
</context>
</TS>
