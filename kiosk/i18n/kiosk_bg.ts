<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="bg_BG" sourcelanguage="en">
<context>
    <name>CatalogueScreen</name>
    <message>
        <location filename="../views/home.py" line="132"/>
        <source>Search, e.g. “heirs” or “udostoverenie”</source>
        <translation>Търсене, напр. „наследници“ или „udostoverenie“</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="133"/>
        <source>Search for a service</source>
        <translation>Търсене на услуга</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="139"/>
        <source>By life situation</source>
        <translation>По житейска ситуация</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="140"/>
        <source>By municipal unit</source>
        <translation>По звено на общината</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="170"/>
        <source>The list of services is not loaded yet.</source>
        <translation>Списъкът с услуги още не е зареден.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="175"/>
        <source>Found: {n}</source>
        <translation>Намерени: {n}</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="176"/>
        <source>Nothing found. Try another word or browse the lists.</source>
        <translation>Няма намерени. Опитайте с друга дума или разгледайте списъците.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="180"/>
        <source>Choose a life situation</source>
        <translation>Изберете житейска ситуация</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="180"/>
        <source>Choose a unit</source>
        <translation>Изберете звено</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="199"/>
        <source>Services and certificates</source>
        <translation>Услуги и удостоверения</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="202"/>
        <source>Choose a group, or type in the search field with the keyboard below.</source>
        <translation>Изберете група или пишете в полето за търсене с клавиатурата долу.</translation>
    </message>
</context>
<context>
    <name>Common</name>
    <message>
        <location filename="../views/citizen.py" line="20"/>
        <source>There is no connection to the municipality right now. Please try again later or ask at the counter.</source>
        <translation>В момента няма връзка с общината. Опитайте по-късно или попитайте на гишето.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="22"/>
        <source>This request is saved on this kiosk and will be sent as soon as there is a connection. Try again later.</source>
        <translation>Заявлението е записано на този киоск и ще бъде изпратено веднага щом има връзка. Опитайте по-късно.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="24"/>
        <source>No request with this number and code was found. Check both and try again.</source>
        <translation>Няма заявление с този номер и код. Проверете ги и опитайте отново.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="26"/>
        <source>The access code is not correct.</source>
        <translation>Кодът за достъп не е верен.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="27"/>
        <source>Something went wrong. Please try again or ask a clerk.</source>
        <translation>Нещо се обърка. Опитайте отново или попитайте служител.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="32"/>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="265"/>
        <source>registered</source>
        <translation>регистрирано</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="266"/>
        <source>pending</source>
        <translation>чакащ</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="267"/>
        <source>in progress</source>
        <translation>в изпълнение</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="268"/>
        <source>resolved</source>
        <translation>разрешен</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="269"/>
        <source>rejected</source>
        <translation>отхвърлен</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="345"/>
        <source>Problem</source>
        <translation>Проблем</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="346"/>
        <source>Complaint</source>
        <translation>Жалба</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="347"/>
        <source>Praise</source>
        <translation>Похвала</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="348"/>
        <source>Proposal</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="349"/>
        <source>Question</source>
        <translation>Въпрос</translation>
    </message>
</context>
<context>
    <name>ConsultationsScreen</name>
    <message>
        <location filename="../views/citizen.py" line="416"/>
        <location filename="../views/citizen.py" line="435"/>
        <source>Loading…</source>
        <translation>Зареждане…</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="436"/>
        <source>Open consultations: {n}</source>
        <translation>Открити консултации: {n}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="437"/>
        <source>There are no open consultations now.</source>
        <translation>В момента няма открити консултации.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="441"/>
        <source>Open until {date}</source>
        <translation>Открита до {date}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="444"/>
        <source>Support with my ID card</source>
        <translation>Подкрепям с личната си карта</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="444"/>
        <source>Support: {title}</source>
        <translation>Подкрепа: {title}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="467"/>
        <source>Sending your support…</source>
        <translation>Изпращане на подкрепата…</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="471"/>
        <source>You have already supported this consultation. Each person can support it once.</source>
        <translation>Вече сте подкрепили тази консултация. Всеки човек може да я подкрепи веднъж.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="473"/>
        <source>Thank you, your support is recorded. Supporters so far: {n}</source>
        <translation>Благодарим, подкрепата Ви е записана. Подкрепили досега: {n}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="487"/>
        <source>Public consultations</source>
        <translation>Обществени консултации</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="490"/>
        <source>Read the consultations. To support one, touch its button and place your ID card on the reader.</source>
        <translation>Прочетете консултациите. За да подкрепите някоя, докоснете бутона ѝ и поставете личната си карта на четеца.</translation>
    </message>
</context>
<context>
    <name>DossierScreen</name>
    <message>
        <location filename="../views/citizen.py" line="283"/>
        <source>You need your ID card and the personal access code the municipality gave you. This works only while the kiosk is connected.</source>
        <translation>Нужни са личната Ви карта и персоналният код за достъп, даден Ви от общината. Работи само когато киоскът има връзка.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="289"/>
        <location filename="../views/citizen.py" line="290"/>
        <source>Personal access code</source>
        <translation>Персонален код за достъп</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="293"/>
        <source>Show my requests</source>
        <translation>Покажи моите заявления</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="311"/>
        <source>Place your ID card on the reader.</source>
        <translation>Поставете личната си карта на четеца.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="313"/>
        <source>ID card read: {name}</source>
        <translation>Прочетена лична карта: {name}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="323"/>
        <source>Place your ID card on the reader first.</source>
        <translation>Първо поставете личната си карта на четеца.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="325"/>
        <source>Personal access code: type at least 4 characters.</source>
        <translation>Персонален код за достъп: въведете поне 4 знака.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="327"/>
        <source>Looking it up…</source>
        <translation>Търсене…</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="335"/>
        <source>Your requests: {n}</source>
        <translation>Вашите заявления: {n}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="355"/>
        <source>My requests</source>
        <translation>Моите заявления</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="358"/>
        <source>Place your ID card on the reader, type your access code, then touch Show my requests.</source>
        <translation>Поставете личната си карта на четеца, въведете кода си и докоснете „Покажи моите заявления“.</translation>
    </message>
</context>
<context>
    <name>FeedbackScreen</name>
    <message>
        <location filename="../views/request.py" line="485"/>
        <source>How was it?</source>
        <translation>Как беше?</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="487"/>
        <source>Very bad</source>
        <translation>Много лошо</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="487"/>
        <source>Bad</source>
        <translation>Лошо</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="487"/>
        <source>Good</source>
        <translation>Добре</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="487"/>
        <source>Very good</source>
        <translation>Много добре</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="503"/>
        <source>Something else</source>
        <translation>Друго</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="505"/>
        <source>Finish</source>
        <translation>Край</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="505"/>
        <source>Finish and clear my data</source>
        <translation>Край и изтриване на моите данни</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="515"/>
        <source>Thank you for your opinion!</source>
        <translation>Благодарим за мнението!</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="520"/>
        <source>Your opinion</source>
        <translation>Вашето мнение</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="523"/>
        <source>How was it? Touch one of the four faces, from very bad to very good.</source>
        <translation>Как беше? Докоснете едно от четирите лица — от много лошо до много добре.</translation>
    </message>
</context>
<context>
    <name>HotlinesScreen</name>
    <message>
        <location filename="../views/citizen.py" line="370"/>
        <source>Search by name or unit</source>
        <translation>Търсене по име или звено</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="371"/>
        <source>Search phone numbers</source>
        <translation>Търсене на телефони</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="387"/>
        <source>Other</source>
        <translation>Други</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="389"/>
        <source>Nothing found.</source>
        <translation>Няма намерени.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="399"/>
        <source>Phone numbers</source>
        <translation>Телефони</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="402"/>
        <source>Phone numbers of the municipality, grouped by unit. Type in the search field to filter.</source>
        <translation>Телефоните на общината, подредени по звена. Пишете в полето за търсене, за да филтрирате.</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../views/request.py" line="33"/>
        <source>Place your ID card on the reader</source>
        <translation>Поставете личната си карта на четеца</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="34"/>
        <source>Put the card with the photo side down, the three lines of letters and digits towards the reader. We read only your name, ЕГН, document number and dates; nothing is kept after you finish.</source>
        <translation>Поставете картата със снимката надолу, трите реда букви и цифри към четеца. Четем само името, ЕГН, номера на документа и датите; нищо не се пази, след като приключите.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="37"/>
        <source>Error</source>
        <translation>Грешка</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="41"/>
        <source>Cancel</source>
        <translation>Отказ</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="51"/>
        <source>Please try another document or ask a clerk.</source>
        <translation>Опитайте с друг документ или попитайте служител.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="66"/>
        <source>Identification</source>
        <translation>Идентификация</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="69"/>
        <source>Place your ID card on the reader below the screen.</source>
        <translation>Поставете личната си карта на четеца под екрана.</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <location filename="../views/request.py" line="79"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="79"/>
        <source>ЕГН</source>
        <translation>ЕГН</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="80"/>
        <source>ID card number</source>
        <translation>Номер на личната карта</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../views/main_window.py" line="57"/>
        <location filename="../views/main_window.py" line="394"/>
        <source>e-Municipality kiosk</source>
        <extracomment>room kept above and below a field scrolled into view: its label stands above it</extracomment>
        <translation>Киоск е-Община</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="342"/>
        <source>What you have entered will be deleted. Do you want to cancel?</source>
        <extracomment>the embedded on-screen keyboard (added by the app when built); None until then</extracomment>
        <translation>Въведеното ще бъде изтрито. Да се откажа ли?</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="348"/>
        <location filename="../views/main_window.py" line="349"/>
        <source>No, continue</source>
        <translation>Не, продължи</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="350"/>
        <location filename="../views/main_window.py" line="351"/>
        <source>Yes, delete it</source>
        <translation>Да, изтрий</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="357"/>
        <source>Press Back again to delete it, or Enter to continue.</source>
        <translation>Натиснете Назад отново, за да го изтриете, или Enter, за да продължите.</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="375"/>
        <source>You can continue.</source>
        <translation>Можете да продължите.</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="395"/>
        <source>◀ Back</source>
        <translation>◀ Назад</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="396"/>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="402"/>
        <source>Finish</source>
        <translation>Край</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="403"/>
        <source>Finish and clear my data</source>
        <translation>Край и изтриване на моите данни</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="404"/>
        <location filename="../views/main_window.py" line="405"/>
        <source>More time</source>
        <translation>Още време</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="426"/>
        <source>ЕГН {egn} · {name}</source>
        <translation>ЕГН {egn} · {name}</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="428"/>
        <source>ID card: {who}</source>
        <translation>Лична карта: {who}</translation>
    </message>
    <message>
        <location filename="../views/main_window.py" line="443"/>
        <source>Are you still there? The session ends in {seconds} s. Touch “More time” to continue.</source>
        <translation>Още ли сте тук? Сесията приключва след {seconds} сек. Докоснете „Още време“, за да продължите.</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <location filename="../views/citizen.py" line="503"/>
        <source>Technician PIN or badge</source>
        <translation>ПИН на техник или карта</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="504"/>
        <source>Technician PIN</source>
        <translation>ПИН на техник</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="507"/>
        <source>Unlock</source>
        <translation>Отключи</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="514"/>
        <source>Refresh</source>
        <translation>Обнови</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="516"/>
        <source>Test print</source>
        <translation>Пробен печат</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="518"/>
        <source>Exit the kiosk application</source>
        <translation>Изход от приложението</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="536"/>
        <source>Not allowed.</source>
        <translation>Нямате достъп.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="536"/>
        <source>Badge recognised. Enter your PIN.</source>
        <translation>Значката е разпозната. Въведете своя ПИН.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="542"/>
        <source>Reading the state of the terminal…</source>
        <translation>Четене на състоянието на терминала…</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="550"/>
        <source>Reading the state failed: %1</source>
        <translation>Състоянието не можа да се прочете: %1</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="560"/>
        <source>Maintenance</source>
        <translation>Поддръжка</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="563"/>
        <source>For technicians only.</source>
        <translation>Само за техници.</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../views/request.py" line="368"/>
        <source>Your request is registered</source>
        <translation>Заявлението Ви е регистрирано</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="369"/>
        <source>Incoming number:</source>
        <translation>Входящ номер:</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="371"/>
        <source>Your request is saved</source>
        <translation>Заявлението Ви е записано</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="372"/>
        <source>There is no connection to the municipality right now. It will be sent automatically. Your reference number (valid for tracking):</source>
        <translation>В момента няма връзка с общината. То ще бъде изпратено автоматично. Вашият номер (важи и за проследяване):</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="379"/>
        <source>Tracking code: {code}</source>
        <translation>Код за проследяване: {code}</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="383"/>
        <source>Date and time: {when}</source>
        <translation>Дата и час: {when}</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="385"/>
        <location filename="../views/request.py" line="443"/>
        <source>Fee: {fee}</source>
        <translation>Такса: {fee}</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="387"/>
        <location filename="../views/request.py" line="445"/>
        <source>Deadline: {deadline}</source>
        <translation>Срок: {deadline}</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="389"/>
        <source>Office: {office}</source>
        <translation>Място: {office}</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="392"/>
        <source>QR code for tracking this request</source>
        <translation>QR код за проследяване на заявлението</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="396"/>
        <source>Printing your receipt…</source>
        <translation>Отпечатване на разписката…</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="400"/>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="407"/>
        <source>Another request for me</source>
        <translation>Друго заявление за мен</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="408"/>
        <source>Another request for me, with the same ID card</source>
        <translation>Друго заявление за мен, със същата лична карта</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="426"/>
        <source>The receipt is printed — please take it.</source>
        <translation>Разписката е отпечатана — моля, вземете я.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="427"/>
        <source>The printer is not working right now. Please write down the number shown on the screen.</source>
        <translation>Принтерът не работи в момента. Моля, запишете номера от екрана.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="439"/>
        <source>Number {number}.</source>
        <translation>Номер {number}.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="441"/>
        <source>Tracking code {code}.</source>
        <translation>Код за проследяване {code}.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="461"/>
        <source>Receipt</source>
        <translation>Разписка</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="464"/>
        <source>Take your printed receipt. The number and the code are also on the screen.</source>
        <translation>Вземете отпечатаната разписка. Номерът и кодът са и на екрана.</translation>
    </message>
</context>
<context>
    <name>RequestFormScreen</name>
    <message>
        <location filename="../views/request.py" line="102"/>
        <source>This service is no longer in the list.</source>
        <translation>Тази услуга вече не е в списъка.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="109"/>
        <source>Applicant (from your ID card)</source>
        <translation>Заявител (от личната карта)</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="113"/>
        <source>Details of the request</source>
        <translation>Данни за заявлението</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="137"/>
        <source>DD.MM.YYYY</source>
        <translation>ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="139"/>
        <source>day, month and year, with dots</source>
        <translation>ден, месец и година, с точки</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="151"/>
        <source>How fast?</source>
        <translation>Колко бързо?</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="154"/>
        <source>Ordinary</source>
        <translation>Обикновена</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="154"/>
        <source>Fast</source>
        <translation>Бърза</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="154"/>
        <source>Express</source>
        <translation>Експресна</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="170"/>
        <source>Continue to review</source>
        <translation>Продължи към преглед</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="201"/>
        <source>Please correct: </source>
        <translation>Моля, поправете: </translation>
    </message>
    <message>
        <location filename="../views/request.py" line="220"/>
        <source>Request</source>
        <translation>Заявление</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="223"/>
        <source>Fill in the fields marked with a star, choose how fast, then touch Continue.</source>
        <translation>Попълнете полетата със звездичка, изберете колко бързо и докоснете „Продължи“.</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../views/request.py" line="244"/>
        <source>Please check before sending</source>
        <translation>Моля, проверете преди изпращане</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="260"/>
        <source>Change</source>
        <translation>Промяна</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="262"/>
        <source>Confirm and send</source>
        <translation>Потвърди и изпрати</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="274"/>
        <source>Service</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="278"/>
        <source>Deadline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="279"/>
        <source>Fee</source>
        <translation>Такса</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="291"/>
        <source>Type</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="293"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="294"/>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="297"/>
        <source>Location</source>
        <translation>Място</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="301"/>
        <source>Sender</source>
        <translation>Подател</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="301"/>
        <source>anonymous (only recorded)</source>
        <translation>анонимен (само се регистрира)</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="303"/>
        <source>Applicant</source>
        <translation>Заявител</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="322"/>
        <source>Sending… please wait.</source>
        <translation>Изпращане… моля, изчакайте.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="333"/>
        <source>Your request could not be saved on this kiosk. Nothing was sent. Please ask a clerk.</source>
        <translation>Заявлението не можа да бъде записано на този киоск. Нищо не е изпратено. Моля, обърнете се към служител.</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="337"/>
        <source>Review</source>
        <translation>Преглед</translation>
    </message>
    <message>
        <location filename="../views/request.py" line="340"/>
        <source>Check the details. Touch “Confirm and send” to file it, or “Change” to go back.</source>
        <translation>Проверете данните. Докоснете „Потвърди и изпрати“, за да го подадете, или „Промяна“, за да се върнете.</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <location filename="../views/home.py" line="217"/>
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
        <location filename="../views/home.py" line="230"/>
        <source>Ordinary</source>
        <translation>Обикновена</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="230"/>
        <source>Fast</source>
        <translation>Бърза</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="230"/>
        <source>Express</source>
        <translation>Експресна</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="232"/>
        <source>{tier}: {deadline}, fee {fee}</source>
        <translation>{tier}: {deadline}, такса {fee}</translation>
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
        <location filename="../views/home.py" line="247"/>
        <source>Apply here with my ID card</source>
        <translation>Подай тук с личната си карта</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="259"/>
        <source>Service</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="262"/>
        <source>Read the deadline, the fee and the documents. To apply, touch the button at the bottom.</source>
        <translation>Прочетете срока, таксата и документите. За да подадете заявление, докоснете бутона долу.</translation>
    </message>
</context>
<context>
    <name>SignalScreen</name>
    <message>
        <location filename="../views/citizen.py" line="47"/>
        <source>What kind of signal?</source>
        <translation>Какъв е сигналът?</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="58"/>
        <source>About what?</source>
        <translation>За какво?</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="71"/>
        <source>Describe it</source>
        <translation>Опишете го</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="73"/>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="77"/>
        <source>Where? (optional)</source>
        <translation>Къде? (по желание)</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="79"/>
        <source>Street and number, or a landmark</source>
        <translation>Улица и номер или ориентир</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="80"/>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="92"/>
        <location filename="../views/citizen.py" line="93"/>
        <source>Send without my name (anonymous)</source>
        <translation>Изпрати без името ми (анонимно)</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="96"/>
        <location filename="../views/citizen.py" line="116"/>
        <source>By law (АПК, art. 111) anonymous signals are only recorded: no proceedings are opened and you get no answer. To get an answer, send it with your ID card.</source>
        <translation>По закон (чл. 111 от АПК) анонимните сигнали само се регистрират: по тях не се образува производство и не получавате отговор. За да получите отговор, изпратете сигнала с личната си карта.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="104"/>
        <source>Continue</source>
        <translation>Продължи</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="114"/>
        <source>Signals in this category need your name: anonymous sending is not possible.</source>
        <translation>Сигналите в тази категория изискват името Ви: анонимно изпращане не е възможно.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="123"/>
        <source>Category: choose what the signal is about</source>
        <translation>Категория: изберете за какво е сигналът</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="126"/>
        <source>Description: write at least a few words</source>
        <translation>Описание: напишете поне няколко думи</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="130"/>
        <source>Please correct: </source>
        <translation>Моля, поправете: </translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="153"/>
        <source>Signal</source>
        <translation>Сигнал</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="156"/>
        <source>Choose the kind and the category, describe the problem, add where it is, then touch Continue.</source>
        <translation>Изберете вида и категорията, опишете проблема, добавете къде е и докоснете „Продължи“.</translation>
    </message>
</context>
<context>
    <name>TrackScreen</name>
    <message>
        <location filename="../views/citizen.py" line="181"/>
        <source>Type the number and the tracking code from your receipt, or hold the receipt&apos;s QR code under the scanner.</source>
        <translation>Въведете номера и кода за проследяване от разписката или поднесете QR кода на разписката към скенера.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="183"/>
        <source>Number, e.g. 94-00012/05.01.2026 or K07-000123</source>
        <translation>Номер, напр. 94-00012/05.01.2026 или K07-000123</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="184"/>
        <source>Request number</source>
        <translation>Номер на заявлението</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="186"/>
        <location filename="../views/citizen.py" line="187"/>
        <source>Tracking code</source>
        <translation>Код за проследяване</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="191"/>
        <source>Show status</source>
        <translation>Покажи състоянието</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="210"/>
        <source>This code is not from one of our receipts.</source>
        <translation>Този код не е от наша разписка.</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="220"/>
        <source>Please type the number (and the tracking code, if your receipt has one).</source>
        <translation>Моля, въведете номера (и кода за проследяване, ако разписката Ви има такъв).</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="223"/>
        <source>Looking it up…</source>
        <translation>Търсене…</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="229"/>
        <source>{number}: {title} — {status}</source>
        <translation>{number}: {title} — {status}</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="257"/>
        <source>Track a request</source>
        <translation>Проследяване на заявление</translation>
    </message>
    <message>
        <location filename="../views/citizen.py" line="260"/>
        <source>Type the number and the tracking code, then touch Show status. Or scan the QR code of your receipt.</source>
        <translation>Въведете номера и кода и докоснете „Покажи състоянието“. Или сканирайте QR кода от разписката.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../views/home.py" line="21"/>
        <location filename="../views/home.py" line="78"/>
        <source>Municipality</source>
        <translation>Община</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="33"/>
        <source>The list of services is not loaded yet. Tracking and signals still work.</source>
        <translation>Списъкът с услуги още не е зареден. Проследяването и сигналите работят.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="34"/>
        <source>How can we help you? Touch a button.</source>
        <translation>С какво можем да помогнем? Докоснете бутон.</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="46"/>
        <source>Phone numbers</source>
        <translation>Телефони</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="40"/>
        <source>Public consultations</source>
        <translation>Обществени консултации</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="42"/>
        <source>Services
and certificates</source>
        <translation>Услуги
и удостоверения</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="43"/>
        <source>Report a problem
or send a signal</source>
        <translation>Сигнал
за проблем</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="44"/>
        <source>Track my request</source>
        <translation>Проследяване
на заявление</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="45"/>
        <source>My requests
(ID card and code)</source>
        <translation>Моите заявления
(карта и код)</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="47"/>
        <source>Public
consultations</source>
        <translation>Обществени
консултации</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="59"/>
        <source>Spoken guidance</source>
        <translation>Гласово упътване</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="59"/>
        <source>Spoken guidance (headphones)</source>
        <translation>Гласово упътване (слушалки)</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="117"/>
        <source>Welcome</source>
        <translation>Добре дошли</translation>
    </message>
    <message>
        <location filename="../views/home.py" line="120"/>
        <source>Choose what you need: services, a signal, tracking, your requests, phone numbers or consultations.</source>
        <translation>Изберете какво Ви трябва: услуги, сигнал, проследяване, Вашите заявления, телефони или консултации.</translation>
    </message>
</context>
</TS>
