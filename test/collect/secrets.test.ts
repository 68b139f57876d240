import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactKinds, parseArtifact } from '../../src/collect/parsers/index.js';
import { redactSecrets } from '../../src/collect/secrets.js';
import { cpuStopwatch } from '../cpu-time.js';

/** A SHA-256 digest, as ACL rules give a password's hash. */
const HASH = '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8';

describe('redactSecrets: the secrets a pasted command line, header or config carried', () => {
  it.each([
    ['/usr/bin/mysqld --db-password=hunter2 --port 3306', '/usr/bin/mysqld --db-password=<redacted> --port 3306'],
    ['app --token hunter2 --verbose', 'app --token <redacted> --verbose'],
    ['env DB_PASSWORD=hunter2 API_KEY=k1 DB_PASS=p2 PATH=/bin', 'env DB_PASSWORD=<redacted> API_KEY=<redacted> DB_PASS=<redacted> PATH=/bin'],
    ['curl https://ops:hunter2@db.example/x?access_token=t1&page=2', 'curl https://<redacted>@db.example/x?access_token=<redacted>&page=2'],
    ['> Authorization: Bearer eyJhbGciOi.x.y', '> Authorization: <redacted> <redacted>'],
    ['Authorization:Bearer k1 and more', 'Authorization:<redacted> <redacted> <redacted> <redacted>'],
    ["curl -H 'X-Api-Key: k1' --header=\"Authorization: Bearer k2\" https://x", "curl -H 'X-Api-Key: <redacted>' --header=\"Authorization: <redacted> <redacted>\" https://x"],
    ['"--password=k1" next', '"--password=<redacted>" next'],
    ['{"password": "k1", "user": "bob"}', '{"password": "<redacted>", "user": "bob"}'],
    ['{"password":"k1"}', '{"password":"<redacted>"}'],
    ['password = k1', 'password = <redacted>'],
    ["PASSWORD='x y' NEXT=1", "PASSWORD='<redacted> <redacted>' NEXT=1"],
    ["  java -Dspring.datasource.password='Sup3r Secret' -jar app.jar", "  java -Dspring.datasource.password='<redacted> <redacted>' -jar app.jar"],
    ['> GET /login?token=k1&next=/ HTTP/1.1', '> GET /login?token=<redacted>&next=/ HTTP/1.1'],
    ['user=bob&password=k1', 'user=bob&password=<redacted>'],
    ['> Cookie: JSESSIONID=c1; theme=dark', '> Cookie: <redacted> <redacted>'],
    ['curl -u admin:pw1 https://x', 'curl -u admin:<redacted> https://x'],
    ['client_secret: s3cr3t\n\tline two', 'client_secret: <redacted>\n\tline two'],
    ['    Master-Key: ABCDEF\n    Resumption PSK: 0123', '    Master-Key: <redacted>\n    Resumption PSK: <redacted>'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAbc+/=\n-----END RSA PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n<redacted>\n-----END RSA PRIVATE KEY-----'],
    // A second blind review's forms: compact JSON past its first key, JSON headers, a header after a log's prefix, more options and connection strings.
    ['{"user":"bob","password":"hunter2","n":1}', '{"user":"bob","password":"<redacted>","n":1}'],
    ['  "Authorization": "Bearer sk-live-abc123",', '  "Authorization": "<redacted> <redacted>",'],
    ['{"headers":{"Authorization":"Bearer abc"}} {"db":{"password":"x"}}', '{"headers":{"Authorization":"<redacted> <redacted>"}} {"db":{"password":"<redacted>"}}'],
    ['2024-01-01 DEBUG Authorization: Bearer x', '2024-01-01 DEBUG Authorization: <redacted> <redacted>'],
    ['curl --user=admin:pw -uroot:pw2 --oauth2-bearer t1 --cookie sid=c1', 'curl --user=admin:<redacted> -uroot:<redacted> --oauth2-bearer <redacted> --cookie <redacted>'],
    ['Server=db;Password=x1;Database=app', 'Server=db;Password=<redacted>;Database=app'],
    ['1.2.3.4 - - [01/Jan] "GET /x?token=abc&y=1" 499 0', '1.2.3.4 - - [01/Jan] "GET /x?token=<redacted>&y=1" 499 0'],
    ['{"redirect_url":"https://app/login?token=abc","time_total":1.2}', '{"redirect_url":"https://app/login?token=<redacted>","time_total":1.2}'],
    // A header opening a string value glued to its member's name: JSON logs, logfmt.
    ['{"msg":"Authorization: Bearer abc123"}', '{"msg":"Authorization: <redacted> <redacted>"}'],
    ['{"level":"error","headers":"Authorization: Bearer abc123"}', '{"level":"error","headers":"Authorization: <redacted> <redacted>"}'],
    ['{"msg":"Authorization:Bearer abc123","x":1}', '{"msg":"Authorization:<redacted> <redacted>","x":1}'],
    ['msg="Authorization: Bearer abc123" level=error', 'msg="Authorization: <redacted> <redacted>" level=error'],
    ["msg='Cookie:a=1; s=2' next=1", "msg='Cookie:<redacted>; <redacted>' next=1"],
    ['https://s3/x?X-Amz-Signature=abc&key=k1', 'https://s3/x?X-Amz-Signature=<redacted>&key=<redacted>'],
    ['{"password":"k1","token":"t1"}', '{"password":"<redacted>","token":"<redacted>"}'],
    // A Python dict's repr, or a JavaScript object's, past its first member: every secret member, compact or spaced, an escaped quote in a value.
    ["{'user':'bob','password':'x','token':'y','n':1}", "{'user':'bob','password':'<redacted>','token':'<redacted>','n':1}"],
    ["{'password':'a b','apiKey':'k'}", "{'password':'<redacted> <redacted>','apiKey':'<redacted>'}"],
    ["{'user': 'bob', 'password': 'x', 'token': 'y'}", "{'user': 'bob', 'password': '<redacted>', 'token': '<redacted>'}"],
    ["kwargs={'db':{'host':'x','password':'it\\'s'},'timeout':3}", "kwargs={'db':{'host':'x','password':'<redacted>'},'timeout':3}"],
    // JSON in a C string, as strace shows what a process wrote: escaped quotes, its own escapes doubled, cut short by strace.
    [String.raw`write(3, "{\"password\":\"hunter2\"}", 22) = 22`, String.raw`write(3, "{\"password\":\"<redacted>\"}", 22) = 22`],
    [String.raw`read(3, "\"token\": \"x y\", \"n\": 1", 24) = 24`, String.raw`read(3, "\"token\": \"<redacted> <redacted>\", \"n\": 1", 24) = 24`],
    [String.raw`  \"token\": \"x\",`, String.raw`  \"token\": \"<redacted>\",`],
    [String.raw`write(3, "{\"user\":\"bob\",\"password\":\"a\\\"b\\nc\",\"n\":1}", 40) = 40`, String.raw`write(3, "{\"user\":\"bob\",\"password\":\"<redacted>\",\"n\":1}", 40) = 40`],
    [String.raw`write(3, "{\"password\":\"x\",\"token\":\"y\"}", 28) = 28`, String.raw`write(3, "{\"password\":\"<redacted>\",\"token\":\"<redacted>\"}", 28) = 28`],
    [String.raw`write(3, "{\"user\":\"bob\",\"token\":\"hunter2"..., 4096) = 4096 <0.000021>`, String.raw`write(3, "{\"user\":\"bob\",\"token\":\"<redacted>"..., 4096) = 4096 <0.000021>`],
    [String.raw`recvfrom(3, "GET /login?token=k1\r\n", 21, 0, NULL, NULL) = 21`, String.raw`recvfrom(3, "GET /login?token=<redacted>\r\n", 21, 0, NULL, NULL) = 21`],
    [String.raw`PASSWORD=\"a b\" NEXT=1`, String.raw`PASSWORD=\"<redacted> <redacted>\" NEXT=1`],
    // Keys named by what keeps them secret, what they sign or encrypt with, or what they open; Rails's key base.
    [
      'SECRET_KEY=a SECRET_KEY_BASE=b AWS_SECRET_ACCESS_KEY=c DJANGO_SECRET_KEY=d PRIVATE_KEY=e SIGNING_KEY=f ENCRYPTION_KEY=g STRIPE_API_KEY=h',
      'SECRET_KEY=<redacted> SECRET_KEY_BASE=<redacted> AWS_SECRET_ACCESS_KEY=<redacted> DJANGO_SECRET_KEY=<redacted> PRIVATE_KEY=<redacted> SIGNING_KEY=<redacted> ENCRYPTION_KEY=<redacted> STRIPE_API_KEY=<redacted>',
    ],
    ['secret_key_base: abc\njwt.signing.key: def\n{"secretKey":"x","hmacKey":"y","publicKey":"z"}', 'secret_key_base: <redacted>\njwt.signing.key: <redacted>\n{"secretKey":"<redacted>","hmacKey":"<redacted>","publicKey":"z"}'],
    ['[Interface]\nPrivateKey = k1\n[Peer]\nPublicKey = p1\nPresharedKey = k2', '[Interface]\nPrivateKey = <redacted>\n[Peer]\nPublicKey = p1\nPresharedKey = <redacted>'],
    ['DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=k1==;EndpointSuffix=core.windows.net', 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<redacted>;EndpointSuffix=core.windows.net'],
    // Laravel's application key (base64 or not), the keys an app or a subscription opens with (Azure API Management's header).
    ['APP_KEY=base64:abcdEFGH1234== PUSHER_APP_KEY=k1 {"appKey":"k2","subscriptionKey":"k3"}', 'APP_KEY=<redacted> PUSHER_APP_KEY=<redacted> {"appKey":"<redacted>","subscriptionKey":"<redacted>"}'],
    ['> Ocp-Apim-Subscription-Key: k1\n> Api-Key: k2\n> X-Api-Key: k3', '> Ocp-Apim-Subscription-Key: <redacted>\n> Api-Key: <redacted>\n> X-Api-Key: <redacted>'],
    // A prompt's label as the line's second word, as it is as the first.
    ['Enter Passphrase: hunter2', 'Enter Passphrase: <redacted>'],
    // A log line whose words read as a label keeps the errno a parser reads; a value beside it does not.
    ['refresh token: ETIMEDOUT', 'refresh token: ETIMEDOUT'],
    ['token: ECONNREFUSED, retrying', 'token: ECONNREFUSED, retrying'],
    ['token: EXAMPLEsecret1', 'token: <redacted>'],
    ['Enter password: hunter2\nPassword: hunter3', 'Enter password: <redacted>\nPassword: <redacted>'],
    // XML elements, by the names JSON members and variables go by; an attribute is an assignment.
    ['<db><user>bob</user><password>hunter2</password></db>', '<db><user>bob</user><password><redacted></password></db>'],
    ['  <apiKey>k1</apiKey>\n  <token>t1</token>\n  <clientSecret>s1</clientSecret>', '  <apiKey><redacted></apiKey>\n  <token><redacted></token>\n  <clientSecret><redacted></clientSecret>'],
    ['  <password>hunter 2</password> <port>5432</port>', '  <password><redacted> <redacted></password> <port>5432</port>'],
    ['<wsse:Password>hunter2</wsse:Password>', '<wsse:Password><redacted></wsse:Password>'],
    // A CDATA section's text, a `<` in it; an element's text on the lines after its tag.
    ['<password><![CDATA[hunter2]]></password>', '<password><![CDATA[<redacted>]]></password>'],
    ['<password><![CDATA[a b<c]]></password> <user>bob</user>', '<password><![CDATA[<redacted> <redacted>]]></password> <user>bob</user>'],
    // A CDATA section on the line after its tag, indented, its text on the lines after it too.
    ['<password>\n<![CDATA[hunter2]]></password>\n<user>bob</user>', '<password>\n<![CDATA[<redacted>]]></password>\n<user>bob</user>'],
    ['  <password>\n    <![CDATA[a b]]>\n  </password>\n  <user>bob</user>', '  <password>\n    <![CDATA[<redacted> <redacted>]]>\n  </password>\n  <user>bob</user>'],
    ['<token>\n<![CDATA[\nk1\n]]></token>\n<user>bob</user>', '<token>\n<![CDATA[\n<redacted>\n]]></token>\n<user>bob</user>'],
    // Hadoop's name and value elements: the value of an entry whose `<name>` names a secret, on its line or the next; the next entry's stays.
    [
      '<property>\n  <name>fs.s3a.secret.key</name>\n  <value>hunter2</value>\n  <description>S3 key</description>\n</property>\n<property>\n  <name>fs.s3a.endpoint</name>\n  <value>s3.example</value>\n</property>',
      '<property>\n  <name>fs.s3a.secret.key</name>\n  <value><redacted></value>\n  <description>S3 key</description>\n</property>\n<property>\n  <name>fs.s3a.endpoint</name>\n  <value>s3.example</value>\n</property>',
    ],
    [
      '<property><name>javax.jdo.option.ConnectionPassword</name><value>hunter2</value></property><property><name>javax.jdo.option.ConnectionUserName</name><value>hive</value></property>',
      '<property><name>javax.jdo.option.ConnectionPassword</name><value><redacted></value></property><property><name>javax.jdo.option.ConnectionUserName</name><value>hive</value></property>',
    ],
    ['  <name>ssl.server.keystore.password</name> <value>a b</value>', '  <name>ssl.server.keystore.password</name> <value><redacted> <redacted></value>'],
    // Spring's value element in an entry naming a secret, on its line or the next.
    ['<property name="password"><value>k1</value></property>\n<property name="username"><value>bob</value></property>', '<property name="password"><value><redacted></value></property>\n<property name="username"><value>bob</value></property>'],
    [
      '<property name="password">\n    <value>hunter2</value>\n</property>\n<property name="username">\n    <value>bob</value>\n</property>',
      '<property name="password">\n    <value><redacted></value>\n</property>\n<property name="username">\n    <value>bob</value>\n</property>',
    ],
    ['<db>\n  <password>\n    hunter2\n  </password>\n  <port>5432</port>', '<db>\n  <password>\n    <redacted>\n  </password>\n  <port>5432</port>'],
    ['<password><![CDATA[\n  a b\n]]></password>\n<user>bob</user>', '<password><![CDATA[\n  <redacted> <redacted>\n]]></password>\n<user>bob</user>'],
    // A placeholder in an error takes the rest of its line as an element's text would, never the
    // lines after (a review found one <password> taking every later line of a paste, ping's evidence included).
    ['(error) ERR AUTH <password> called\n64 bytes from 10.0.0.5: icmp_seq=1 ttl=64 time=0.5 ms\n3 packets transmitted, 0 received', '(error) ERR AUTH <password> <redacted>\n64 bytes from 10.0.0.5: icmp_seq=1 ttl=64 time=0.5 ms\n3 packets transmitted, 0 received'],
    ['<user username="admin" password="s3cret" roles="manager-gui"/>', '<user username="admin" password="<redacted>" roles="manager-gui"/>'],
    // An element naming a secret's entry in an attribute: its value attribute, before or after the name, on one line or more, or its text.
    ['<property name="password" value="hunter2"/>', '<property name="password" value="<redacted>"/>'],
    // Spaces around an attribute's `=`, as XML allows.
    ['<property name = "password" value = "hunter2"/>', '<property name = "password" value = "<redacted>"/>'],
    ['<property name= "password" value ="a b" />', '<property name= "password" value ="<redacted> <redacted>" />'],
    ["<add value= 'k1' key ='ApiKey'/>", "<add value= '<redacted>' key ='ApiKey'/>"],
    ['<property name = "password">hunter2</property>', '<property name = "password"><redacted></property>'],
    ['<a name = "password" value = "k1"/><a name="token" value="t1"/>', '<a name = "password" value = "<redacted>"/><a name="token" value="<redacted>"/>'],
    ['<property value="a b" name="db.password" />', '<property value="<redacted> <redacted>" name="db.password" />'],
    [
      '  <bean id="ds">\n    <property name="password"\n              value="hunter2" />\n    <property name="user" value="bob"/>',
      '  <bean id="ds">\n    <property name="password"\n              value="<redacted>" />\n    <property name="user" value="bob"/>',
    ],
    ['<appSettings>\n  <add key="ApiKey" value="k1" />\n  <add value=\'k2\' key=\'ClientSecret\'/>\n  <add key="Timeout" value="30" />', '<appSettings>\n  <add key="ApiKey" value="<redacted>" />\n  <add value=\'<redacted>\' key=\'ClientSecret\'/>\n  <add key="Timeout" value="30" />'],
    ['<property name="url" value="jdbc:x"/><property name="password" value="k1"/><property name="user" value="bob"/>', '<property name="url" value="jdbc:x"/><property name="password" value="<redacted>"/><property name="user" value="bob"/>'],
    ['<property name="hibernate.connection.password">a b</property> <entry key="db.user">bob</entry>', '<property name="hibernate.connection.password"><redacted> <redacted></property> <entry key="db.user">bob</entry>'],
    ['<add name="Authorization" value="Bearer x" />', '<add name="Authorization" value="<redacted> <redacted>" />'],
    // A connection string's password segment wherever it stands: with a space, quoted, braced (ODBC), in a .NET config's value.
    ['<add key="ConnectionString" value="Server=db;User Id=sa;Password=a b;Database=app"/>', '<add key="ConnectionString" value="Server=db;User Id=sa;Password=<redacted> <redacted>;Database=app"/>'],
    ['<add name="Db" connectionString="Data Source=db;Pwd=a b" providerName="x"/>', '<add name="Db" connectionString="Data Source=db;Pwd=<redacted> <redacted>" providerName="x"/>'],
    ['Server=db;Uid=sa;Pwd=x1;', 'Server=db;Uid=sa;Pwd=<redacted>;'],
    ['Driver={ODBC Driver 18};Server=db;PWD={a b;c};Encrypt=yes', 'Driver={ODBC Driver 18};Server=db;PWD={<redacted> <redacted>};Encrypt=yes'],
    ["Server=db;Password='a;b';Database=app Server=db;Password=\"a b\";Database=app", "Server=db;Password='<redacted>';Database=app Server=db;Password=\"<redacted> <redacted>\";Database=app"],
    ['jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={a;b};encrypt=true', 'jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={<redacted>};encrypt=true'],
    ['{"ConnectionStrings":{"Db":"Server=db;Password=x1"}}', '{"ConnectionStrings":{"Db":"Server=db;Password=<redacted>"}}'],
    // The password as a string's first segment; spaces around a segment's `=` (ADO.NET allows them); the tag's end after the string's quote.
    ['<add name="Db" connectionString="Password=hunter2;Server=h"/>', '<add name="Db" connectionString="Password=<redacted>;Server=h"/>'],
    ['{"Db":"Pwd=a b;Server=h"}', '{"Db":"Pwd=<redacted> <redacted>;Server=h"}'],
    ['"Server=h;Password = hunter2;"', '"Server=h;Password = <redacted>;"'],
    ['Server=h; Password = a b; Database=app', 'Server=h; Password = <redacted> <redacted>; Database=app'],
    ['"Server=h;Pwd= {a;b};Db=x" "Server=h;Password =k;Db=x"', '"Server=h;Pwd= {<redacted>};Db=x" "Server=h;Password =<redacted>;Db=x"'],
    ['<add connectionString="Server=h; Password=k"/>\n<add connectionString="Server=h;Password=a b">', '<add connectionString="Server=h; Password=<redacted>"/>\n<add connectionString="Server=h;Password=<redacted> <redacted>">'],
    // A quote doubled in a quoted value is one of its characters (ADO.NET), as a brace is in a braced one (ODBC); in one word or more, spaced or not.
    ['Server=db;Password="a""b";Database=app', 'Server=db;Password="<redacted>";Database=app'],
    ["Server=db;Password='a''b c';Database=app", "Server=db;Password='<redacted> <redacted>';Database=app"],
    ['Server=db;Password="a"" b""";Database=app', 'Server=db;Password="<redacted> <redacted>";Database=app'],
    ['Server=db; Password = "a""b c"; Database=app', 'Server=db; Password = "<redacted> <redacted>"; Database=app'],
    ['Server=db;Password="""";Database=app', 'Server=db;Password="<redacted>";Database=app'],
    ['Driver={x};PWD={a}}b c};Encrypt=yes', 'Driver={x};PWD={<redacted> <redacted>};Encrypt=yes'],
    // Oracle's logons: a JDBC thin or OCI URL's, its clients' operand (sqlplus, Data Pump's userid=, rman's), SQL*Plus's connect; a quoted password holding an `@`.
    ['spring.datasource.url=jdbc:oracle:thin:scott/tiger@db:1521/svc', 'spring.datasource.url=jdbc:oracle:thin:scott/<redacted>@db:1521/svc'],
    ['{"url":"jdbc:oracle:thin:scott/tiger@//db:1521/svc","user":"x"} -Durl=jdbc:oracle:oci:app/"p@ss"@db', '{"url":"jdbc:oracle:thin:scott/<redacted>@//db:1521/svc","user":"x"} -Durl=jdbc:oracle:oci:app/"<redacted>"@db'],
    ['$ sqlplus -S scott/tiger@db @run.sql', '$ sqlplus -S scott/<redacted>@db @run.sql'],
    ['sqlplus "sys/pw@db as sysdba"\nsqlplus -L scott/"p@ss"@//db:1521/svc', 'sqlplus "sys/<redacted>@db as sysdba"\nsqlplus -L scott/"<redacted>"@//db:1521/svc'],
    ['C:\\oracle\\bin\\sqlplus.exe system/manager@xe', 'C:\\oracle\\bin\\sqlplus.exe system/<redacted>@xe'],
    ['expdp userid=scott/tiger@db directory=d dumpfile=x.dmp', 'expdp userid=scott/<redacted>@db directory=d dumpfile=x.dmp'],
    ['rman target sys/pw@db catalog rc/rcpw@rcat', 'rman target sys/<redacted>@db catalog rc/<redacted>@rcat'],
    ['SQL> connect scott/tiger@db\nConnected.', 'SQL> connect scott/<redacted>@db\nConnected.'],
    // Env entries of Kubernetes and ECS, the value on the line after the name, or beside it.
    [
      '    env:\n    - name: DB_HOST\n      value: db\n    - name: DB_PASSWORD\n      value: hunter2\n    - name: API_TOKEN\n      value: "t 1"',
      '    env:\n    - name: DB_HOST\n      value: db\n    - name: DB_PASSWORD\n      value: <redacted>\n    - name: API_TOKEN\n      value: "<redacted> <redacted>"',
    ],
    ['  {\n    "name": "DB_PASSWORD",\n    "value": "hunter2"\n  },', '  {\n    "name": "DB_PASSWORD",\n    "value": "<redacted>"\n  },'],
    ['"environment": [{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "DB_HOST", "value": "db"}]', '"environment": [{"name": "DB_PASSWORD", "value": "<redacted>"}, {"name": "DB_HOST", "value": "db"}]'],
    ['{"env":[{"name":"API_KEY","value":"k1"},{"name":"DB_HOST","value":"db"}]}', '{"env":[{"name":"API_KEY","value":"<redacted>"},{"name":"DB_HOST","value":"db"}]}'],
    ['- {name: API_KEY, value: k1}', '- {name: API_KEY, value: <redacted>}'],
    // A YAML block scalar under a secret's key, or as a secret env entry's value: the lines indented under it, blank ones among them.
    ['db:\n  password: |\n    x y\n\n    z\n  port: 5432\nnext: 1', 'db:\n  password: |\n    <redacted> <redacted>\n\n    <redacted>\n  port: 5432\nnext: 1'],
    [
      '    env:\n    - name: DB_PASSWORD\n      value: |\n        line1\n        line2\n    - name: DB_HOST\n      value: db',
      '    env:\n    - name: DB_PASSWORD\n      value: |\n        <redacted>\n        <redacted>\n    - name: DB_HOST\n      value: db',
    ],
    ['  client_secret: >- # rotated\r\n      abc\r\n      def\r\n  client_id: app', '  client_secret: >- # rotated\r\n      <redacted>\r\n      <redacted>\r\n  client_id: app'],
    ['  token: |2+\n     a\n  user: bob', '  token: |2+\n     <redacted>\n  user: bob'],
    // Private keys under any name: a YAML block (its last line all capitals), a JSON string with \n escapes, one cut short by strace, one line, base64 in a Kubernetes Secret.
    [
      'data:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n    QWERTYUI\n    -----END PRIVATE KEY-----\n  port: 443',
      'data:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    <redacted>\n    <redacted>\n    -----END PRIVATE KEY-----\n  port: 443',
    ],
    [
      String.raw`{"user":"bob","password":"k","tls.key":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n","port":443}`,
      String.raw`{"user":"bob","password":"<redacted>","tls.key":"-----BEGIN PRIVATE KEY-----\n<redacted>\n<redacted>\n-----END PRIVATE KEY-----\n","port":443}`,
    ],
    [String.raw`read(3, "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA"..., 4096) = 4096 <0.000021>`, String.raw`read(3, "-----BEGIN RSA PRIVATE KEY-----\n<redacted>"..., 4096) = 4096 <0.000021>`],
    ['PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"\nPORT=443', 'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n-----END RSA PRIVATE KEY-----"\nPORT=443'],
    ['key: -----BEGIN EC PRIVATE KEY----- MHcCAQEEIBkg -----END EC PRIVATE KEY-----', 'key: -----BEGIN EC PRIVATE KEY----- <redacted> -----END EC PRIVATE KEY-----'],
    ['error: no -----BEGIN PRIVATE KEY----- block found\nnext line', 'error: no -----BEGIN PRIVATE KEY----- <redacted> <redacted>\nnext line'],
    [
      'data:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K\n  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDCi0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K\ntype: kubernetes.io/tls\n{"data":{"tls.key":"LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDCi0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K"}}',
      'data:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K\n  tls.key: <redacted>\ntype: kubernetes.io/tls\n{"data":{"tls.key":"<redacted>"}}',
    ],
    // A private key anywhere in a base64 blob: after a certificate (a haproxy.pem bundle), after a newline, at each of the three byte offsets.
    [
      '  haproxy.pem: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0KLS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDCi0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K\n  port: 443',
      '  haproxy.pem: <redacted>\n  port: 443',
    ],
    ['{"data":{"tls.key":"Ci0tLS0tQkVHSU4gUFJJVkFURSBLRVktLS0tLQpNSUlFdlFJQkFEQU5CZ2txaGtpRzl3MEJBUUVGQUFTQwotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg=="}}', '{"data":{"tls.key":"<redacted>"}}'],
    ['  server.pem: eAotLS0tLUJFR0lOIEVDIFBSSVZBVEUgS0VZLS0tLS0KTUhjQ0FRRUVJQmtnCi0tLS0tRU5EIEVDIFBSSVZBVEUgS0VZLS0tLS0K', '  server.pem: <redacted>'],
    // Database clients' own ways: mysql's attached -p, redis-cli's -a and -u URL, their variables.
    ['mysql -uroot -phunter2 shop', 'mysql -uroot -p<redacted> shop'],
    ["sudo -u app /usr/bin/mysqldump -p'a b' shop > x.sql", "sudo -u app /usr/bin/mysqldump -p'<redacted> <redacted>' shop > x.sql"],
    ['mariadb --user=root --password=hunter2 shop', 'mariadb --user=root --password=<redacted> shop'],
    ['execve("/usr/bin/mysql", ["mysql", "-uroot", "-phunter2", "shop"], 0x7ffd /* 20 vars */) = 0', 'execve("/usr/bin/mysql", ["mysql", "-uroot", "-p<redacted>", "shop"], 0x7ffd /* 20 vars */) = 0'],
    [' 4242 app  mysql -uapp -pS3cret shop\n 4243 app  ls -a -p1', ' 4242 app  mysql -uapp -p<redacted> shop\n 4243 app  ls -a -p1'],
    ['redis-cli -h cache -a hunter2 ping', 'redis-cli -h cache -a <redacted> ping'],
    ["docker exec -it cache valkey-cli -a 'hunter 2' --no-auth-warning info", "docker exec -it cache valkey-cli -a '<redacted> <redacted>' --no-auth-warning info"],
    ['redis-cli --user app --pass hunter2 ping', 'redis-cli --user app --pass <redacted> ping'],
    ['redis-cli -u redis://:hunter2@cache:6379 ping', 'redis-cli -u redis://<redacted>@cache:6379 ping'],
    ['REDISCLI_AUTH=hunter2 redis-cli ping', 'REDISCLI_AUTH=<redacted> redis-cli ping'],
    ['PGPASSWORD=hunter2 psql -h db -U app', 'PGPASSWORD=<redacted> psql -h db -U app'],
    // Variables that hold a password whole, named by their tool: sshpass -e's, sqlcmd's, mysql's; in an export and docker's env array too.
    ['SSHPASS=hunter2 sshpass -e ssh host', 'SSHPASS=<redacted> sshpass -e ssh host'],
    ['export SSHPASS=hunter2\nsshpass -e ssh host', 'export SSHPASS=<redacted>\nsshpass -e ssh host'],
    ['{"Env":["SSHPASS=hunter2","PATH=/bin"]}', '{"Env":["SSHPASS=<redacted>","PATH=/bin"]}'],
    ['SQLCMDPASSWORD=hunter2 sqlcmd -S db -U sa', 'SQLCMDPASSWORD=<redacted> sqlcmd -S db -U sa'],
    ['MYSQL_PWD=hunter2 mysql -uroot shop', 'MYSQL_PWD=<redacted> mysql -uroot shop'],
    // redis's password directives: redis.conf's lines, CONFIG SET, CONFIG GET's reply (the value on the next line), redis-server's options.
    ['bind 0.0.0.0\nrequirepass hunter2\nmasterauth "a b"\nport 6379', 'bind 0.0.0.0\nrequirepass <redacted>\nmasterauth "<redacted> <redacted>"\nport 6379'],
    ['  redis.conf: |\n    requirepass hunter2\n    maxmemory 1gb', '  redis.conf: |\n    requirepass <redacted>\n    maxmemory 1gb'],
    ['127.0.0.1:6379> CONFIG SET requirepass hunter2\nOK', '127.0.0.1:6379> CONFIG SET requirepass <redacted>\nOK'],
    ['redis-cli -h cache config set masterauth hunter2 && echo done', 'redis-cli -h cache config set masterauth <redacted> && echo done'],
    ['127.0.0.1:6379> CONFIG GET requirepass\n1) "requirepass"\n2) "hunter2"\n127.0.0.1:6379> ', '127.0.0.1:6379> CONFIG GET requirepass\n1) "requirepass"\n2) "<redacted>"\n127.0.0.1:6379> '],
    ['97) "requirepass"\n98) "a b"\n99) "port"\n100) "6379"', '97) "requirepass"\n98) "<redacted> <redacted>"\n99) "port"\n100) "6379"'],
    ['$ redis-cli config get masterauth | cat\nmasterauth\nhunter2\n$ ls', '$ redis-cli config get masterauth | cat\nmasterauth\n<redacted>\n$ ls'],
    ['redis-cli config get requirepass | cat\r\nrequirepass\r\n  hunter2\r\n', 'redis-cli config get requirepass | cat\r\nrequirepass\r\n  <redacted>\r\n'],
    ['redis-server --requirepass hunter2 --port 6379', 'redis-server --requirepass <redacted> --port 6379'],
    // AUTH [username] password: after redis-cli's prompt, at a line's start, on redis-cli's command line, as MONITOR shows it.
    ['127.0.0.1:6379> AUTH hunter2\nOK\n127.0.0.1:6379[2]> auth default hunter3\nOK', '127.0.0.1:6379> AUTH <redacted>\nOK\n127.0.0.1:6379[2]> auth default <redacted>\nOK'],
    ['AUTH hunter2\nAUTH app "a b"\nPING', 'AUTH <redacted>\nAUTH app "<redacted> <redacted>"\nPING'],
    ['redis-cli -h cache AUTH app hunter2 && redis-cli -h cache ping', 'redis-cli -h cache AUTH app <redacted> && redis-cli -h cache ping'],
    ['1700000000.123456 [0 127.0.0.1:53211] "AUTH" "hunter2"\n1700000000.2 [0 127.0.0.1:53212] "auth" "default" "hunter3"', '1700000000.123456 [0 127.0.0.1:53211] "AUTH" "<redacted>"\n1700000000.2 [0 127.0.0.1:53212] "auth" "default" "<redacted>"'],
    // Sentinel's password of a master (sentinel.conf, SENTINEL SET) and of the other sentinels.
    ['sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel auth-pass mymaster hunter2\nsentinel sentinel-pass hunter3', 'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel auth-pass mymaster <redacted>\nsentinel sentinel-pass <redacted>'],
    ['redis-cli -p 26379 SENTINEL SET mymaster auth-pass hunter2', 'redis-cli -p 26379 SENTINEL SET mymaster auth-pass <redacted>'],
    ['REDIS_REQUIREPASS=hunter2 masterauth: hunter3', 'REDIS_REQUIREPASS=<redacted> masterauth: <redacted>'],
    // ACL SETUSER's rules that carry a password or its hash (`>`, `<`, `#`, `!`), quoted ones too, up to the command's end; redis.conf's and an ACL file's `user` lines, ACL LIST's reply of them.
    ['127.0.0.1:6379> ACL SETUSER app on >hunter2 ~* +@all\nOK', '127.0.0.1:6379> ACL SETUSER app on ><redacted> ~* +@all\nOK'],
    [`ACL SETUSER app on >k1 >k2 #${HASH} <k3 !${HASH} ~app:* +@read`, 'ACL SETUSER app on ><redacted> ><redacted> #<redacted> <<redacted> !<redacted> ~app:* +@read'],
    ["redis-cli ACL SETUSER app on '>a b' ~* +@all; echo >x", "redis-cli ACL SETUSER app on '><redacted> <redacted>' ~* +@all; echo >x"],
    ['1700000000.1 [0 127.0.0.1:5] "ACL" "SETUSER" "app" "on" ">hunter2" "~*"', '1700000000.1 [0 127.0.0.1:5] "ACL" "SETUSER" "app" "on" "><redacted>" "~*"'],
    ['user default on nopass ~* &* +@all\nuser app on >hunter2 ~app:* +@read', 'user default on nopass ~* &* +@all\nuser app on ><redacted> ~app:* +@read'],
    [`1) "user default on nopass ~* &* +@all"\n2) "user app on #${HASH} ~* +@all"`, '1) "user default on nopass ~* &* +@all"\n2) "user app on #<redacted> ~* +@all"'],
    // HELLO's AUTH username password, MIGRATE's AUTH password and AUTH2 username password, where a command stands.
    ['127.0.0.1:6379> HELLO 3 AUTH default hunter2 SETNAME app\nHELLO 3 AUTH app hunter3', '127.0.0.1:6379> HELLO 3 AUTH default <redacted> SETNAME app\nHELLO 3 AUTH app <redacted>'],
    ['redis-cli HELLO 3 AUTH app hunter2\n1700000000.1 [0 127.0.0.1:5] "hello" "3" "auth" "app" "hunter3"', 'redis-cli HELLO 3 AUTH app <redacted>\n1700000000.1 [0 127.0.0.1:5] "hello" "3" "auth" "app" "<redacted>"'],
    ['127.0.0.1:6379> MIGRATE 10.0.0.2 6379 "" 0 5000 AUTH hunter2 KEYS a b', '127.0.0.1:6379> MIGRATE 10.0.0.2 6379 "" 0 5000 AUTH <redacted> KEYS a b'],
    ['MIGRATE 10.0.0.2 6379 "" 0 5000 COPY AUTH2 app hunter2 KEYS a b', 'MIGRATE 10.0.0.2 6379 "" 0 5000 COPY AUTH2 app <redacted> KEYS a b'],
    // AUTH at a line's start in small letters, or with an outcome's word, when redis's reply follows it: a redis-cli session piped or pasted without its prompt.
    ['auth hunter2\nOK\nget foo\n"bar"', 'auth <redacted>\nOK\nget foo\n"bar"'],
    ['auth app hunter2\r\n(error) WRONGPASS invalid username-password pair or user is disabled.', 'auth app <redacted>\r\n(error) WRONGPASS invalid username-password pair or user is disabled.'],
    ['AUTH failed\nOK\n127.0.0.1:6379> AUTH ok\n"AUTH" "failed"', 'AUTH <redacted>\nOK\n127.0.0.1:6379> AUTH <redacted>\n"AUTH" "<redacted>"'],
    // Other clients' short options: sshpass's -p, a registry login's -p, curl's -b cookies.
    ['sshpass -p hunter2 ssh app@db', 'sshpass -p <redacted> ssh app@db'],
    ['sshpass -phunter2 scp x db:', 'sshpass -p<redacted> scp x db:'],
    ['execve("/usr/bin/sshpass", ["sshpass", "-p", "hunter2", "ssh", "db"], 0x7ffd /* 20 vars */) = 0', 'execve("/usr/bin/sshpass", ["sshpass", "-p", "<redacted>", "ssh", "db"], 0x7ffd /* 20 vars */) = 0'],
    ['docker login -u me -p hunter2 registry.example', 'docker login -u me -p <redacted> registry.example'],
    ["echo x | podman login --username me -p 'a b' quay.io", "echo x | podman login --username me -p '<redacted> <redacted>' quay.io"],
    ["curl -b 'sid=c1; theme=dark' https://x", "curl -b '<redacted> <redacted>' https://x"],
    ['curl -bsid=c1 https://x', 'curl -b<redacted> https://x'],
    // The mongo shells' and tools' -p, the OpenLDAP clients' -w; sshpass's own -p, not that of the command it runs.
    ['mongosh -u admin -p hunter2 --host db', 'mongosh -u admin -p <redacted> --host db'],
    ["mongo -u admin -p 'a b' shop", "mongo -u admin -p '<redacted> <redacted>' shop"],
    ['mongosh --username admin --password hunter2', 'mongosh --username admin --password <redacted>'],
    ['/usr/bin/mongodump -u app -phunter2 --db shop', '/usr/bin/mongodump -u app -p<redacted> --db shop'],
    ['ldapsearch -x -D cn=admin,dc=x -w hunter2 -b dc=x', 'ldapsearch -x -D cn=admin,dc=x -w <redacted> -b dc=x'],
    ['ldapmodify -x -whunter2 -f x.ldif', 'ldapmodify -x -w<redacted> -f x.ldif'],
    ['sudo ldapadd -D cn=admin -w hunter2 -f x.ldif', 'sudo ldapadd -D cn=admin -w <redacted> -f x.ldif'],
    // ldappasswd's old and new passwords besides its bind one; flags clustered before -w, as getopt reads them.
    ['ldappasswd -x -D cn=admin -w k1 -a OLD -s NEW uid=bob', 'ldappasswd -x -D cn=admin -w <redacted> -a <redacted> -s <redacted> uid=bob'],
    ["ldappasswd -xa 'a b' -sNEW uid=bob", "ldappasswd -xa '<redacted> <redacted>' -s<redacted> uid=bob"],
    ['ldapsearch -xw hunter2 -b dc=x', 'ldapsearch -xw <redacted> -b dc=x'],
    ['ldapsearch -ZZxwhunter2 -b dc=x', 'ldapsearch -ZZxw<redacted> -b dc=x'],
    // Windows's programs: a path with backslashes, an .exe in any case.
    ['C:\\tools\\mysql.exe -uroot -phunter2 shop', 'C:\\tools\\mysql.exe -uroot -p<redacted> shop'],
    ['"C:\\Program Files\\MongoDB\\bin\\mongosh.EXE" -u admin -p hunter2', '"C:\\Program Files\\MongoDB\\bin\\mongosh.EXE" -u admin -p <redacted>'],
    ['redis-cli.exe -a hunter2 ping', 'redis-cli.exe -a <redacted> ping'],
    // SQL Server's clients: -P is the password (https://learn.microsoft.com/sql/tools/sqlcmd/sqlcmd-utility), attached or not.
    ['sqlcmd -S db -U sa -P hunter2 -Q "select 1"', 'sqlcmd -S db -U sa -P <redacted> -Q "select 1"'],
    ['C:\\Tools\\SQLCMD.EXE -S db -U sa -Phunter2', 'C:\\Tools\\SQLCMD.EXE -S db -U sa -P<redacted>'],
    ['bcp shop.dbo.orders out o.dat -S db -U sa -P hunter2 -c', 'bcp shop.dbo.orders out o.dat -S db -U sa -P <redacted> -c'],
    // PowerShell's environment drive before a secret's name, spaced or not.
    ['$env:DB_PASSWORD = "hunter2"', '$env:DB_PASSWORD = "<redacted>"'],
    ["$Env:API_TOKEN='k1'; $env:PATH = 'C:\\bin'", "$Env:API_TOKEN='<redacted>'; $env:PATH = 'C:\\bin'"],
    ['sshpass -p hunter2 ssh -p 2222 app@db', 'sshpass -p <redacted> ssh -p 2222 app@db'],
    ['sshpass -P assword: -p hunter2 ssh -p 2222 db', 'sshpass -P assword: -p <redacted> ssh -p 2222 db'],
    ['execve("/usr/bin/sshpass", ["sshpass", "-p", "hunter2", "ssh", "-p", "2222", "db"], 0x7ffd /* 20 vars */) = 0', 'execve("/usr/bin/sshpass", ["sshpass", "-p", "<redacted>", "ssh", "-p", "2222", "db"], 0x7ffd /* 20 vars */) = 0'],
    ['sshpass -p hunter2 ssh db mysql -phunter3 shop', 'sshpass -p <redacted> ssh db mysql -p<redacted> shop'],
    // A secret with a space closes in a later word, whose rest is read as a word of its own: the secrets after it go too.
    ['{"password":"a b","token":"t1"}', '{"password":"<redacted> <redacted>","token":"<redacted>"}'],
    ['<password>a b</password><token>t1</token>', '<password><redacted> <redacted></password><token><redacted></token>'],
    [
      '{"req":{"headers":{"host":"x","authorization":"Bearer abc.def","cookie":"connect.sid=COOKIELEAK"}}}',
      '{"req":{"headers":{"host":"x","authorization":"<redacted> <redacted>","cookie":"<redacted>"}}}',
    ],
    ['{"password": "k1","token":"t1"}', '{"password": "<redacted>","token":"<redacted>"}'],
    ['"Password: a",token=t1 next', '"Password: <redacted>",token=<redacted> next'],
    [String.raw`write(3, "{\"password\":\"a b\",\"token\":\"t\",\"n\":1}", 40) = 40`, String.raw`write(3, "{\"password\":\"<redacted> <redacted>\",\"token\":\"<redacted>\",\"n\":1}", 40) = 40`],
    // Headers and labels in a string's text after an escaped line break (strace, Python's http.client, a JSON log), a header's value up to the next one or the string's end.
    [
      String.raw`write(3, "GET /api HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc123\r\nCookie: sid=s3cr3t\r\n\r\n", 70) = 70`,
      String.raw`write(3, "GET /api HTTP/1.1\r\nHost: x\r\nAuthorization: <redacted> <redacted>\r\nCookie: <redacted>\r\n\r\n", 70) = 70`,
    ],
    [
      String.raw`sendto(5, "POST /v1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: k1\r\nContent-Length: 2\r\n\r\n{}", 70, MSG_NOSIGNAL, NULL, 0) = 70`,
      String.raw`sendto(5, "POST /v1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: <redacted>\r\nContent-Length: 2\r\n\r\n{}", 70, MSG_NOSIGNAL, NULL, 0) = 70`,
    ],
    [String.raw`sendto(5, "GET / HTTP/1.1\r\nCookie: sid=s3cr3t"..., 4096, MSG_NOSIGNAL, NULL, 0) = 83 <0.000099>`, String.raw`sendto(5, "GET / HTTP/1.1\r\nCookie: <redacted>"..., 4096, MSG_NOSIGNAL, NULL, 0) = 83 <0.000099>`],
    [String.raw`send: b'GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n'`, String.raw`send: b'GET / HTTP/1.1\r\nHost: x\r\nAuthorization: <redacted> <redacted>\r\n\r\n'`],
    [String.raw`send: b'GET / HTTP/1.1\r\nAuthorization: Digest username="bob", response="6629fae4"\r\n\r\n'`, String.raw`send: b'GET / HTTP/1.1\r\nAuthorization: <redacted> <redacted> <redacted>\r\n\r\n'`],
    [String.raw`{"level":"debug","msg":"request headers:\nAuthorization: Bearer x\nAccept: */*"}`, String.raw`{"level":"debug","msg":"request headers:\nAuthorization: <redacted> <redacted>\nAccept: */*"}`],
    [String.raw`read(0, "Password: hunter2\n", 1024) = 18`, String.raw`read(0, "Password: <redacted>\n", 1024) = 18`],
    // A secret's string goes on past an escaped line break in it; a header's value ends with the string.
    [String.raw`{"password":"x y\nz","n":1}`, String.raw`{"password":"<redacted> <redacted>\n<redacted>","n":1}`],
    [String.raw`{"msg":"a\nAuthorization: Bearer x","token":"t y"}`, String.raw`{"msg":"a\nAuthorization: <redacted> <redacted>","token":"<redacted> <redacted>"}`],
    // A quote escaped in a secret's string, which goes on past it.
    ['{"password": "a\\"b c"}', '{"password": "<redacted> <redacted>"}'],
    ['{"password": "a\\\\", "b": "c"}', '{"password": "<redacted>", "b": "c"}'],
    [String.raw`write(3, "{\"token\": \"a\\\"b c\", \"n\": 1}", 30) = 30`, String.raw`write(3, "{\"token\": \"<redacted> <redacted>\", \"n\": 1}", 30) = 30`],
    // A HAR's header pairs; a member glued to what opens it, its value after a space.
    ['{"name":"Authorization","value":"Bearer x"}', '{"name":"Authorization","value":"<redacted> <redacted>"}'],
    ['  {\n    "name": "Cookie",\n    "value": "sid=abc"\n  },', '  {\n    "name": "Cookie",\n    "value": "<redacted>"\n  },'],
    ['headers={"Authorization": "Bearer x"}', 'headers={"Authorization": "<redacted> <redacted>"}'],
    ["headers={'Authorization': 'Bearer x'}", "headers={'Authorization': '<redacted> <redacted>'}"],
    ['{"user":"bob","password": "x y"}', '{"user":"bob","password": "<redacted> <redacted>"}'],
    [String.raw`write(3, "headers={\"Authorization\": \"Bearer x\"}", 40) = 40`, String.raw`write(3, "headers={\"Authorization\": \"<redacted> <redacted>\"}", 40) = 40`],
    // A HAR's cookie lists: every cookie's value, whatever its name, pretty or compact; a `]` in a value ends no list; the headers after keep theirs.
    [
      '      "cookies": [\n        {\n          "name": "theme",\n          "value": "dark",\n          "path": "/",\n          "httpOnly": false\n        },\n        {"name": "sid", "value": "a b"}\n      ],\n      "headers": [\n        {"name": "Host", "value": "example.com"}\n      ],',
      '      "cookies": [\n        {\n          "name": "theme",\n          "value": "<redacted>",\n          "path": "/",\n          "httpOnly": false\n        },\n        {"name": "sid", "value": "<redacted>"}\n      ],\n      "headers": [\n        {"name": "Host", "value": "example.com"}\n      ],',
    ],
    [
      '{"request":{"cookies":[{"name":"a","value":"x]y"},{"name":"value","value":"k\\"2"}],"queryString":[{"name":"page","value":"2"}]}}',
      '{"request":{"cookies":[{"name":"a","value":"<redacted>"},{"name":"value","value":"<redacted>"}],"queryString":[{"name":"page","value":"2"}]}}',
    ],
    // docker's compact env array; an option whose value is an assignment of its own.
    ['{"Env":["DB_PASSWORD=x","PATH=/bin"]}', '{"Env":["DB_PASSWORD=<redacted>","PATH=/bin"]}'],
    ['{"Env":["DB_PASSWORD=a b","PATH=/bin"]}', '{"Env":["DB_PASSWORD=<redacted> <redacted>","PATH=/bin"]}'],
    ['kubectl create secret generic x --from-literal=password=x --from-literal=user=bob', 'kubectl create secret generic x --from-literal=password=<redacted> --from-literal=user=bob'],
    ['docker run --env=DB_PASSWORD=x --env=PATH=/bin app', 'docker run --env=DB_PASSWORD=<redacted> --env=PATH=/bin app'],
    // A URL's password holding an `@`: its credentials run to the last one before the path.
    ['curl https://u:p@ss@db.example/x?to=a@b.c', 'curl https://<redacted>@db.example/x?to=a@b.c'],
    ['redis://:p@ss@cache:6379,redis://:q@cache2:6379', 'redis://<redacted>@cache:6379,redis://<redacted>@cache2:6379'],
    // PGP's private key block, its armour headers with it.
    [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBGXk1p0BCADH\n=Qx7a\n-----END PGP PRIVATE KEY BLOCK-----\nnext: 1',
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n<redacted> <redacted> <redacted>\n\n<redacted>\n<redacted>\n-----END PGP PRIVATE KEY BLOCK-----\nnext: 1',
    ],
    [String.raw`{"key":"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGXk1p0BCADH\n-----END PGP PRIVATE KEY BLOCK-----\n","n":1}`, String.raw`{"key":"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n<redacted>\n-----END PGP PRIVATE KEY BLOCK-----\n","n":1}`],
    // A credential header in a runtime's dump: its whole value, up to the bracket closing it or the next member (Go's %v of an http.Header, Java's and Lombok's toString, Node's inspect, Spring's HttpHeaders).
    ['{Authorization: Bearer S3cret} [Authorization: Bearer S3cret] (Authorization: Bearer S3cret)', '{Authorization: <redacted> <redacted>} [Authorization: <redacted> <redacted>] (Authorization: <redacted> <redacted>)'],
    ['headers: [Authorization: Bearer S3cret] status=200\n[Cookie: a=1; session=S3cret] next', 'headers: [Authorization: <redacted> <redacted>] status=200\n[Cookie: <redacted> <redacted>] next'],
    ['Header:map[Authorization:[Bearer S3cret] Cookie:[a=1; session=S3cret]]', 'Header:map[Authorization:[<redacted> <redacted>] Cookie:[<redacted> <redacted>]]'],
    ['&{Method:GET Header:map[Accept:[*/*] Authorization:[Basic dXNlcjpwYXNz]] Host:h} map[authorization:Basic dXNlcjpwYXNz]', '&{Method:GET Header:map[Accept:[*/*] Authorization:[<redacted> <redacted>]] Host:h} map[authorization:<redacted> <redacted>]'],
    ['RequestHeaders{Authorization=Bearer S3cret, Accept=*/*} {Accept=*/*, Authorization=Bearer S3cret, Host=h}', 'RequestHeaders{Authorization=<redacted> <redacted>, Accept=*/*} {Accept=*/*, Authorization=<redacted> <redacted>, Host=h}'],
    ['Request(headers={Authorization=Bearer x, Accept=*/*}, method=GET) {Authorization:Bearer x,Accept:y}', 'Request(headers={Authorization=<redacted> <redacted>, Accept=*/*}, method=GET) {Authorization:<redacted> <redacted>,Accept:y}'],
    ["{ authorization: 'Bearer x', accept: '*/*' } [Authorization:\"Bearer x\", Accept:\"*/*\"]", "{ authorization: '<redacted> <redacted>', accept: '*/*' } [Authorization:\"<redacted> <redacted>\", Accept:\"*/*\"]"],
    // An auth-param list goes on past a `, name=` (Digest's response, AWS's Signature) to the bracket; a member after a cookie's pairs goes with them.
    ['{Authorization=Digest username="bob", nc=00000001, response="6629fae4"} next {Cookie=a=1; b=2, Accept=*/*}', '{Authorization=<redacted> <redacted> <redacted> <redacted>} next {Cookie=<redacted> <redacted> <redacted>}'],
    // Python's header pairs as http.client's getheaders(), urllib's header_items() and WSGI's start_response give them, str or bytes (ASGI's
    // scope), spaced or compact, and a call given the pair (a header set in code); the dicts requests and urllib3 print, up to the next member.
    [
      "[('Host', 'x'), ('Authorization', 'Bearer abc'), ('Accept', '*/*')] [('Cookie', 'a=1; b=2')] (\"Set-Cookie\",\"sid=abc; Path=/\")",
      "[('Host', 'x'), ('Authorization', '<redacted> <redacted>'), ('Accept', '*/*')] [('Cookie', '<redacted> <redacted>')] (\"Set-Cookie\",\"<redacted> <redacted>\")",
    ],
    ["'headers': [(b'host', b'x'), (b'authorization', b'Bearer abc'), (b'accept', b'*/*')]", "'headers': [(b'host', b'x'), (b'authorization', b'<redacted> <redacted>'), (b'accept', b'*/*')]"],
    ['xhr.setRequestHeader(\'Authorization\', \'Bearer abc\'); req.Header.Set("Cookie", c)', 'xhr.setRequestHeader(\'Authorization\', \'<redacted> <redacted>\'); req.Header.Set("Cookie", <redacted>)'],
    ["{'User-Agent': 'python-requests/2.31.0', 'Authorization': 'Bearer abc', 'Cookie': 'a=1; b=2'} HTTPHeaderDict({'Authorization':'Bearer abc','Host':'x'})", "{'User-Agent': 'python-requests/2.31.0', 'Authorization': '<redacted> <redacted>', 'Cookie': '<redacted> <redacted>'} HTTPHeaderDict({'Authorization':'<redacted> <redacted>','Host':'x'})"],
    // PHP's dumps: print_r's value is the rest of its line as printed, an object's visibility after its key; var_dump's is the next line's
    // (after its type, the string printed as it is, a quote in it too); var_export's string, spaced or glued as in code, Ruby's hash too.
    [
      'Array\n(\n    [user] => bob\n    [password] => hunter 2\n    [headers] => Array\n        (\n            [Authorization] => Bearer abc\n            [Accept] => */*\n        )\n\n)',
      'Array\n(\n    [user] => bob\n    [password] => <redacted> <redacted>\n    [headers] => Array\n        (\n            [Authorization] => <redacted> <redacted>\n            [Accept] => */*\n        )\n\n)',
    ],
    ['App\\Db Object\n(\n    [host:protected] => db\n    [password:protected] => hunter2\n    [token:App\\Db:private] => t1\n)', 'App\\Db Object\n(\n    [host:protected] => db\n    [password:protected] => <redacted>\n    [token:App\\Db:private] => <redacted>\n)'],
    [
      'array(3) {\n  ["user"]=>\n  string(3) "bob"\n  ["password"]=>\n  string(9) "hu"nter 2"\n  ["Cookie"]=>\n  string(8) "a=1; b=2"\n}\nobject(App\\Db)#1 (2) {\n  ["password":protected]=>\n  string(7) "hunter2"\n  ["token":"App\\Db":private]=>\n  NULL\n}',
      'array(3) {\n  ["user"]=>\n  string(3) "bob"\n  ["password"]=>\n  string(9) <redacted> <redacted>\n  ["Cookie"]=>\n  string(8) <redacted> <redacted>\n}\nobject(App\\Db)#1 (2) {\n  ["password":protected]=>\n  string(7) <redacted>\n  ["token":"App\\Db":private]=>\n  <redacted>\n}',
    ],
    [
      "array (\n  'user' => 'bob',\n  'password' => 'hunter 2',\n  'Authorization' => 'Bearer abc',\n)\n$db = ['host' => 'h', 'password'=>'k1']; {\"token\"=>\"t1\", \"user\"=>\"bob\"} {\"password\" => \"k2\"}",
      "array (\n  'user' => 'bob',\n  'password' => '<redacted> <redacted>',\n  'Authorization' => '<redacted> <redacted>',\n)\n$db = ['host' => 'h', 'password'=>'<redacted>']; {\"token\"=>\"<redacted>\", \"user\"=>\"bob\"} {\"password\" => \"<redacted>\"}",
    ],
    // Secret members glued to a dump's type, pointer or map (Go's %+v, Java's toString), the first member too.
    ["&{Password:S3cret User:bob} map[Password:S3cret] Config{password='S3cret', user=bob}", "&{Password:<redacted> User:bob} map[Password:<redacted>] Config{password='<redacted>', user=bob}"],
    ['{Method:GET Header:map[X-Api-Key:[k1]]}', '{Method:GET Header:map[X-Api-Key:<redacted>]]}'],
    // Credential headers by CGI's names in a server's environment (Django's request.META), and a proxy's: the caller's credential passed on, the identity it signs.
    ['HTTP_AUTHORIZATION=Bearer S3cret\nHTTP_COOKIE=a=1; session=S3cret\nHTTP_HOST=x', 'HTTP_AUTHORIZATION=<redacted> <redacted>\nHTTP_COOKIE=<redacted>; <redacted>\nHTTP_HOST=x'],
    ["{'HTTP_AUTHORIZATION': 'Bearer S3cret', 'HTTP_HOST': 'x'} REDIRECT_HTTP_AUTHORIZATION=Basic dXNl", "{'HTTP_AUTHORIZATION': '<redacted> <redacted>', 'HTTP_HOST': 'x'} REDIRECT_HTTP_AUTHORIZATION=<redacted> <redacted>"],
    ['X-Forwarded-Authorization: Bearer S3cret\nX-Goog-Iap-Jwt-Assertion: eyJ.x.y\nCf-Access-Jwt-Assertion: eyJ.x.y\nHost: h', 'X-Forwarded-Authorization: <redacted> <redacted>\nX-Goog-Iap-Jwt-Assertion: <redacted>\nCf-Access-Jwt-Assertion: <redacted>\nHost: h'],
    ['{"headers":{"x-goog-iap-jwt-assertion":"eyJ.x.y","host":"h"}}', '{"headers":{"x-goog-iap-jwt-assertion":"<redacted>","host":"h"}}'],
    // `auth` as a word of its own names a secret: docker's config.json, npm's _auth and registry-scoped keys, Cloudflare's headers, HTTPie's --auth, Firebase's ?auth=.
    ['{"auths":{"registry.example":{"auth":"dXNlcjpwYXNz","email":"a@b.c"}}}', '{"auths":{"registry.example":{"auth":"<redacted>","email":"a@b.c"}}}'],
    // docker's config.json keeps a registry's OAuth refresh token and its bearer token under names that run the secret word into another.
    ['{"auths":{"registry.example":{"identitytoken":"eyJ.x.y"}}}\n  "registrytoken": "k1",', '{"auths":{"registry.example":{"identitytoken":"<redacted>"}}}\n  "registrytoken": "<redacted>",'],
    ['_auth=dXNlcjpwYXNz\n//registry.npmjs.org/:_authToken=k1\n//localhost:4873/:_auth=k2\nregistry=https://registry.npmjs.org/', '_auth=<redacted>\n//registry.npmjs.org/:_authToken=<redacted>\n//localhost:4873/:_auth=<redacted>\nregistry=https://registry.npmjs.org/'],
    ['> X-Auth: k1\n> X-Auth-Key: k2\n> X-Auth-Email: a@b.c', '> X-Auth: <redacted>\n> X-Auth-Key: <redacted>\n> X-Auth-Email: a@b.c'],
    ['http --auth user:pass example.org\nhttps://x.firebaseio.com/a.json?auth=k1&print=pretty', 'http --auth <redacted> example.org\nhttps://x.firebaseio.com/a.json?auth=<redacted>&print=pretty'],
    // curl's client certificate passphrase, after the first colon that is neither escaped nor a Windows drive's (as curl reads it); the Samba clients' user%password.
    ['curl --cert client.pem:PASS https://x\ncurl -E client.pem:PASS https://x\ncurl --proxy-cert p.pem:PASS -Eclient.pem:PASS2 https://x', 'curl --cert client.pem:<redacted> https://x\ncurl -E client.pem:<redacted> https://x\ncurl --proxy-cert p.pem:<redacted> -Eclient.pem:<redacted> https://x'],
    ["curl --cert 'C:\\certs\\client.pem:PASS' https://x\ncurl --cert a\\\\:PASS https://x\ncurl --cert 'client.pem:pa ss' --key k.pem https://x", "curl --cert 'C:\\certs\\client.pem:<redacted>' https://x\ncurl --cert a\\\\:<redacted> https://x\ncurl --cert 'client.pem:<redacted> <redacted>' --key k.pem https://x"],
    ['execve("/usr/bin/curl", ["curl", "-E", "client.pem:PASS", "https://x"], 0x7ffd /* 20 vars */) = 0', 'execve("/usr/bin/curl", ["curl", "-E", "client.pem:<redacted>", "https://x"], 0x7ffd /* 20 vars */) = 0'],
    ["smbclient -U 'DOM\\user%PASS' //h/s\nsmbclient //h/s -Uuser%PASS -c ls\nrpcclient --user=DOM\\user%PASS h\nnet ads join -U admin%PASS", "smbclient -U 'DOM\\user%<redacted>' //h/s\nsmbclient //h/s -Uuser%<redacted> -c ls\nrpcclient --user=DOM\\user%<redacted> h\nnet ads join -U admin%<redacted>"],
    // A quoted `user:password` keeps its quotes, a space in it too.
    ["curl -u 'admin:p w' https://x", "curl -u 'admin:<redacted> <redacted>' https://x"],
    // An option list's secret (mount.cifs), an Azure SAS's signature in its URL or bare, an OAuth implicit grant's token in a URL's fragment.
    ['mount -t cifs //h/s /mnt -o username=u,password=PASS,vers=3.0', 'mount -t cifs //h/s /mnt -o username=u,password=<redacted>,vers=3.0'],
    // mount.cifs's user in Samba's user%password form, first in its option list or after another, a workgroup before it; an fstab line's.
    [
      'mount -t cifs //h/s /mnt -o username=u%PASS,vers=3.0\nmount.cifs //h/s /mnt -o vers=3.0,user=DOM/u%PASS,uid=1000\n//h/s /mnt cifs user=u%PASS 0 0\nmount -o \'username=u%P@SS!,vers=3.0\' //h/s /mnt',
      'mount -t cifs //h/s /mnt -o username=u%<redacted>,vers=3.0\nmount.cifs //h/s /mnt -o vers=3.0,user=DOM/u%<redacted>,uid=1000\n//h/s /mnt cifs user=u%<redacted> 0 0\nmount -o \'username=u%<redacted>,vers=3.0\' //h/s /mnt',
    ],
    ['https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&se=2026-01-01&sig=abc%2Bdef%3D\nsig=abc%2Bdef%3D', 'https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&se=2026-01-01&sig=<redacted>\nsig=<redacted>'],
    ['https://app.example/cb#access_token=abc&token_type=bearer&expires_in=3600\nhttps://app.example/cb#id_token=eyJ.x.y&state=s1', 'https://app.example/cb#access_token=<redacted>&token_type=bearer&expires_in=3600\nhttps://app.example/cb#id_token=<redacted>&state=s1'],
    // A secret's identifier, then its value after a space: alone on a line it opens, after a setter; .netrc's password and account in an entry, its tokens on one line or over several.
    ['machine h login u password PASS\nmachine h2\n  login u\n  password PASS2\n  account ACCT\ndefault login anonymous password PASS3', 'machine h login u password <redacted>\nmachine h2\n  login u\n  password <redacted>\n  account <redacted>\ndefault login anonymous password <redacted>'],
    ['aws configure set aws_secret_access_key K\naws configure set default.aws_secret_access_key K --profile prod\nnpm config set //registry.npmjs.org/:_authToken K\nyarn config set npmAuthToken K', 'aws configure set aws_secret_access_key <redacted>\naws configure set default.aws_secret_access_key <redacted> --profile prod\nnpm config set //registry.npmjs.org/:_authToken <redacted>\nyarn config set npmAuthToken <redacted>'],
    ['AWS_SECRET_ACCESS_KEY K\ndb.password hunter2\nENV DB_PASSWORD hunter2\nsetenv DB_PASSWORD hunter2\nsetx API_TOKEN k1\nSetEnv DB_PASSWORD hunter2', 'AWS_SECRET_ACCESS_KEY <redacted>\ndb.password <redacted>\nENV DB_PASSWORD <redacted>\nsetenv DB_PASSWORD <redacted>\nsetx API_TOKEN <redacted>\nSetEnv DB_PASSWORD <redacted>'],
    // A header set by a proxy's directive, its name and value apart: nginx's, Apache's and HAProxy's, and nginx's FastCGI parameters (a credential header's by CGI's name, a secret's identifier).
    [
      'proxy_set_header Authorization "Bearer abc";\n    proxy_set_header Cookie \'a=1; b=2\';\nproxy_set_header X-Api-Key k1;\nadd_header Set-Cookie "sid=abc; Path=/" always;\ngrpc_set_header Authorization "Bearer abc";',
      'proxy_set_header Authorization "<redacted> <redacted>";\n    proxy_set_header Cookie \'<redacted> <redacted>\';\nproxy_set_header X-Api-Key <redacted>;\nadd_header Set-Cookie "<redacted> <redacted>" always;\ngrpc_set_header Authorization "<redacted> <redacted>";',
    ],
    [
      'fastcgi_param HTTP_AUTHORIZATION "Bearer abc";\nfastcgi_param DB_PASSWORD hunter2;\nRequestHeader set Authorization "Basic dXNlcjpwYXNz"\nhttp-request set-header Authorization "Basic dXNlcjpwYXNz"\nmore_set_headers "Authorization: Bearer abc";',
      'fastcgi_param HTTP_AUTHORIZATION "<redacted> <redacted>";\nfastcgi_param DB_PASSWORD <redacted>;\nRequestHeader set Authorization "<redacted> <redacted>"\nhttp-request set-header Authorization "<redacted> <redacted>"\nmore_set_headers "Authorization: <redacted> <redacted>";',
    ],
    // A PuTTY .ppk file's private lines, as many as it counts of one base64 word each (its public lines and MAC stay); in a JSON string too.
    ['PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ed25519-key-20240101\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIDxWd\nAAAA\nPrivate-Lines: 1\nAAAAIFkQxyz+/abc=\nPrivate-MAC: 2a3b4c', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ed25519-key-20240101\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIDxWd\nAAAA\nPrivate-Lines: 1\n<redacted>\nPrivate-MAC: 2a3b4c'],
    ['PuTTY-User-Key-File-2: ssh-rsa\r\nPrivate-Lines: 3\r\n  AAAAgQC1\r\n  AAAAQQD2\r\n  AAAAQQD3\r\nPrivate-MAC: ff', 'PuTTY-User-Key-File-2: ssh-rsa\r\nPrivate-Lines: 3\r\n  <redacted>\r\n  <redacted>\r\n  <redacted>\r\nPrivate-MAC: ff'],
    ['Private-Lines: 5\nAAAA\nnot base64 here\nAAAA\n{"ppk":"PuTTY-User-Key-File-3: ssh-ed25519\\nPrivate-Lines: 1\\nAAAAIFkQ\\nPrivate-MAC: 2a"}', 'Private-Lines: 5\n<redacted>\nnot base64 here\nAAAA\n{"ppk":"PuTTY-User-Key-File-3: ssh-ed25519\\nPrivate-Lines: 1\\n<redacted>\\nPrivate-MAC: 2a"}'],
    // curl 8's verbose output of an HTTP/2 request shows each header in brackets: its value goes up to the bracket.
    ['* [HTTP/2] [1] [:path: /api]\n* [HTTP/2] [1] [authorization: Bearer eyJ.x.y]\n* [HTTP/2] [1] [cookie: a=1; session=S3cret]\n* [HTTP/2] [1] [accept: */*]', '* [HTTP/2] [1] [:path: /api]\n* [HTTP/2] [1] [authorization: <redacted> <redacted>]\n* [HTTP/2] [1] [cookie: <redacted> <redacted>]\n* [HTTP/2] [1] [accept: */*]'],
  ])('%j -> %j', (text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it.each([
    // Near misses: names that only look alike, an option with its value on the next line, a log's sentence, the parsers' own words.
    'ftp --passive host.example',
    'bypass --mode fast',
    'tokenizer --mode fast',
    'FATAL: password authentication failed for user "app"',
    '2024-01-01 ERROR could not refresh token: ETIMEDOUT',
    '    Extended master secret: no',
    'time_connect:0.012 time_starttransfer:0.230',
    'https://db.example/x?page=2',
    'https://db.example/x?to=a@b.c',
    ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242',
    '--password\nnext line stays',
    'sort -u file.txt',
    // A label that only starts with a secret word, a name inside a string whose value is empty, and a quote left open by its line.
    'secretsmanager: dial tcp 10.0.0.5:443: i/o timeout',
    'SecretProvider: connect ECONNREFUSED 10.0.0.5:443',
    'write(2, "Password: ", 10) = 10 <0.000015>\nread(0, "x\\n", 1024) = 2 <3.500000>',
    'password_file: /etc/app/db.pass',
    // Elements that only look alike, or hold nothing.
    '<passwordPolicy>strict</passwordPolicy> <tokenEndpoint>https://idp/token</tokenEndpoint>',
    '<password/> <password></password> <title>Invalid token</title>',
    '<password><![CDATA[]]></password> <password>\n</password> <token> </token>',
    // A placeholder ending a usage line is no element: the lines after it stay.
    'usage: tool --user <user> <password>\nping ok here\nmore evidence',
    '<property name = "user" value = "bob"/> <add key ="Timeout" value= "30"/>',
    // Elements naming no secret's entry, or one with no value; a comparison that only looks like a tag.
    '<property name="url" value="jdbc:postgresql://db/app"/>\n<add key="Timeout" value="30" />\n<param name="passwordPolicy" value="strict"/>',
    '<property name="password"/> <property name="password"></property>',
    'if a<b and c>d then value=1',
    // Connection strings without a password, a URL's matrix parameter.
    '<add key="ConnectionString" value="Server=db;Integrated Security=true;Database=app"/>',
    'https://x/app;jsessionid=abc?page=2',
    // Segments that name no secret, spaced or first; a secret's name with no `=` after it.
    '<add connectionString="Server=h;User Id = sa;Database= app"/> "Timeout=30;Server=h"',
    'Server=h;Password is required',
    // Empty quoted passwords, a doubled quote in a value that names no secret.
    "Server=db;Password=\"\";Database=app;Password='';User Id='a''b'",
    // Oracle's logons that give no password (the OS's, a wallet's, none yet, one asked for), paths, a connect with no SQL*Plus prompt.
    'sqlplus / as sysdba\nsqlplus /nolog @/opt/x.sql\nsqlplus scott@db\nSQL> conn / as sysdba',
    'jdbc:oracle:thin:@db:1521/svc jdbc:oracle:thin:@//db:1521/svc jdbc:oracle:thin:/@wallet',
    'ls a/b; cp x/y z/w\nconnect a/b',
    // Entries whose name element names no secret, or a file; a CDATA section of an element that is no secret's.
    '<name>fs.s3a.endpoint</name>\n<value>s3.example</value>',
    '<name>hadoop.security.credstore.java-keystore-provider.password-file</name>\n<value>/etc/hadoop/pw</value>',
    '<user>\n<![CDATA[bob]]></user> <password>\n<![CDATA[]]></password>',
    // Keys that identify an app or a subscription without opening it.
    'APP_KEY_ID=1 subscription_id=x appKeyId=y',
    // An env entry whose value comes from a secret, one naming a file (as password_file: does), a secret name with no value of its own.
    '- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db-secret\n      key: password',
    '- name: DB_PASSWORD_FILE\n  value: /run/secrets/db_password',
    '- name: DB_PASSWORD\n- name: DB_HOST\n  value: db',
    // A block under a key that names no secret, a secret's block with no text, one under a name that is no secret's env entry.
    'config: |\n  password_file: /run/pw\n  user: bob',
    'password: |\nport: 5432',
    '- name: DB_HOST\n  value: |\n    db.example',
    // Certificates are no secret, in PEM or in base64.
    '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq\n-----END CERTIFICATE-----',
    'tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K',
    'ca.crt: Ci0tLS0tQkVHSU4gQ0VSVElGSUNBVEUtLS0tLQpNSUlEZHpDQ0FsK2dBd0lCQWdJRUFnQUF1VEFOQmdrcQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCi0tLS0tQkVHSU4gQ0VSVElGSUNBVEUtLS0tLQpNSUlEZHpDQ0FsK2dBd0lCQWdJRUFnQUF1VEFOQmdrcQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==',
    '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBGXk1p0BCADH\n=Qx7a\n-----END PGP PUBLIC KEY BLOCK-----',
    // Keys that find a record, are shown to all, or identify a key without holding it; names that only hold the word.
    'KEY_ID=a PUBLIC_KEY=b primary_key=c cache_key=d sort_key=e keyboard=f AWS_ACCESS_KEY_ID=g partition_key=h routing_key=i',
    'SIGNING_KEY_FILE=/run/k encryptionKeyId=k1 tls.key=/etc/tls/key.pem DESIGN_KEY=a monkey=b',
    '{"publicKey":"p1","idempotencyKey":"i1","apiKeyId":"a1"}',
    // A label as the third word is a log's sentence.
    'error reading passphrase: EOF',
    // mysql -p with a space asks for the password (shop is the database); -P is the port; -a and -p of other programs.
    'mysql -uroot -p shop',
    'mysql -P 3306 -h db shop',
    'ssh -p2222 host',
    'psql -p5432 -h db',
    'redis-cli ping; ls -a /tmp',
    'redis-cli ping | grep -a PONG',
    'docker run -p 8080:80 nginx',
    'sshpass -f /run/pw ssh host',
    // mongosh's -p alone, or before another option, asks for the password; -p of a program that is no mongo client; ldapsearch's -y names a file, -W prompts.
    'mongosh -u admin -p',
    'mongosh -u admin -p --host db',
    'mongosh -p\nnext line stays',
    'mongoose -p 8080',
    'ldapsearch -x -D cn=admin -y /run/ldap.pw -b dc=x',
    'ldapsearch -x -D cn=admin -W -b dc=x',
    'ssh -w 0:1 host',
    // ldapsearch's -s is a scope and -a a dereferencing; ldappasswd's -A and -S prompt, -t and -T name files; a value clustered after an option that takes one.
    'ldapsearch -x -s sub -a always -b dc=x',
    'ldappasswd -x -A -S -t /run/old -T /run/new uid=bob',
    'ldapsearch -xDcn=w -W -b dc=x',
    'C:\\tools\\ssh.exe -p 2222 host',
    // sqlcmd's -p prints statistics; -P belongs to SQL Server's clients only.
    'sqlcmd -S db -U sa -p -Q "select 1"',
    // Reading a secret's variable is no assignment of it.
    'echo $env:DB_PASSWORD; Write-Host $env:API_TOKEN done',
    'ssh -P 2222 host',
    // The command sshpass runs keeps its own options: ssh's port, after a password read from a file.
    'sshpass -f /run/pw ssh -p 2222 app@db',
    'sshpass -d 3 ssh -p 2222 app@db',
    // redis.conf's commented default, its other directives, a directive named in a sentence, CONFIG GET's request (not its reply).
    '# requirepass foobared\nmasteruser app',
    'the requirepass directive is set',
    // A directive with no value on its line: the next line is no value of it, unless it is a lone word as CONFIG GET's raw reply gives one.
    'requirepass\nport 6379',
    'masterauth\r\nmasteruser app\r\nrequirepass\n\nhunter2',
    '  requirepass\n  maxmemory 1gb\nmasterauth',
    '127.0.0.1:6379> CONFIG GET requirepass\n(empty array)',
    // A log's sentence about auth, AUTH with more words than a password, AUTH alone, sentinel's other directives, auth-pass with no master.
    'Auth failed for user bob\nauth ok\nAUTH failed for user app',
    '127.0.0.1:6379> AUTH\n(error) ERR wrong number of arguments for \'auth\' command',
    'sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel auth-user mymaster app\nsentinel auth-pass mymaster',
    'redis-cli ping | grep -c AUTH',
    // A log's AUTH with an outcome after it and no reply, redis's error replies; auth in small letters with no reply; HELLO and MIGRATE with no password.
    '(error) ERR AUTH failed\n(error) WRONGPASS invalid username-password pair or user is disabled.\nAUTH failed\nAUTH failed: WRONGPASS\nAUTH OK',
    'auth ok\nbye',
    'HELLO world AUTH ok\nhello 3 auth x y\nMIGRATE 10.0.0.2 6379 k 0 5000 COPY',
    // `user` lines with no password's rule, ACL SETUSER with a redirect's bare `>`, other ACL commands.
    'user bob logged in from 10.0.0.1\nuser: bob\nACL SETUSER app on nopass ~* +@all > out\nACL WHOAMI',
    'curl -o out.txt -s https://x',
    String.raw`sendto(5, "{\"query\":\"select 1\",\"port\":5432,\"passwordless\":true}", 58, 0, NULL, 0) = 58`,
    // What follows a secret with a space is read as any word is: names that are no secret's stay.
    '{"password":"<redacted> <redacted>","user":"bob","n":1}',
    '<password><redacted> <redacted></password><user>bob</user>',
    // After an escaped line break as after a real one: a log's sentence stays; an escaped backslash before an n breaks no line.
    String.raw`write(3, "GET /api HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", 40) = 40`,
    String.raw`write(1, "error\nmissing Authorization header\n", 36) = 36`,
    String.raw`write(1, "a\\nAuthorization: x", 20) = 20`,
    // A pair and a glued member that name no credential, and a log's sentence naming one.
    '{"name":"Host","value":"x"}',
    'headers={"Host": "x"}',
    '2024-01-01 WARN request rejected: missing Authorization header',
    // A dict whose members name no secret.
    "{'user':'bob','passwordless':True,'token_url':'https://idp/token'}",
    // HAR lists that hold no cookies, an empty cookie list and an empty cookie's value.
    '{"headers":[{"name":"Host","value":"x"}],"cookies":[],"queryString":[{"name":"q","value":"a"}]}',
    '"cookies": [{"name": "sid", "value": ""}], "postData": {"params": [{"name": "user", "value": "bob"}]}',
    // Env entries and options' assignments that name no secret.
    '{"Env":["PATH=/bin","HOME=/root"]}',
    'kubectl create configmap x --from-literal=user=bob --from-file=app.conf',
    // Variables that only start with a tool's secret name: a file holding it, a user.
    'SSHPASS_FILE=/run/pw SQLCMDUSER=sa MYSQL_PWD_FILE=/run/pw sshpass -e ssh host',
    // Dumps whose members name no credential; a header named in a list of names, with no value.
    '{Accept: */*, Host: h} map[Accept:[*/*] User-Agent:[curl/8.5.0]] &{User:bob Port:5432} Config{user=bob, timeout=30}',
    'Access-Control-Allow-Headers: Content-Type, Authorization\nprint(foo(bar)) func(a, b)',
    // Other headers by CGI's names, one that only starts with a credential header's.
    'HTTP_ACCEPT=*/* HTTP_USER_AGENT=curl HTTP_X_FORWARDED_FOR=10.0.0.1 HTTP_AUTHORIZATION_REQUIRED=1',
    // Words that hold `auth` without being it, a log's sentence and redis's outcome, a switch before another option (mongod's --auth).
    'author: bob\nGET /oauth_callback?code=x HTTP/1.1\nauth failed for user bob\nAUTH failed\nOAuth: enabled\nauthorized_keys: 2\nauth_method: scram\nPasswordAuthentication no',
    'mongod --auth --port 27017 --bind_ip_all\nmongod --auth\nnext line stays',
    // A certificate with no passphrase (a Windows path's drive, an escaped colon), Samba's user alone or none; other programs' -E and -U.
    'curl -E C:\\certs\\client.pem https://x\ncurl --cert a\\:b.pem https://x\ncurl --cert client.pem https://x',
    "smbclient -N -U% //h/s\nsmbclient -U user //h/s\ngrep -E 'a:b' x\nsudo -E env\nssh -E log:x host\npsql -U app%x db",
    // Option lists and fragments that name no secret, a record's key in a list (an API's ?key= goes), words that only start with sig.
    'docker run --mount type=bind,source=/a,target=/b app\nhttps://x/docs#section-2 https://x/a#b=c\n{id=1,key=abc} k=1,key=x',
    'kill -s SIG 1\nsignal=15 SIGTERM=1 design=x sigma=1',
    // Sentences that name a secret with a space after it: a plain word (`password`), an identifier with more than one word after it or none, a machine that opens no .netrc entry, `default` before no login.
    'the password is wrong\npassword expired\nDB_PASSWORD is not set\nmissing AWS_SECRET_ACCESS_KEY\nmachine h1 rebooted\npassword expired\ndefault password is admin',
    'aws configure set region us-east-1\nset password\nPASSWORD EXPIRED\nSECRET_KEY_BASE',
    // The label in a sentence or with more on its line, and a .ppk's public lines.
    'the Private-Lines: 2 header\nAAAA\nPrivate-Lines: 1 extra\nAAAA\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5\nAAAA',
    // A list of header names holds no pair; a pair or a call whose first member names no credential header, or whose header opens no pair.
    "allow_headers=['Authorization', 'Content-Type'] [('Host', 'x'), ('Accept', '*/*')] headers.get('Authorization') ('Authorization',) log('Authorization header missing', 401)",
    // PHP's keys that name no secret (an index whose value is a secret's word), and JavaScript's arrow functions, whose parameters `=>` follows too.
    'Array\n(\n    [author] => bob\n    [password_file] => /run/pw\n    [0] => password\n)\narray(1) {\n  ["author"]=>\n  string(1) "x"\n}\n  \'author\' => \'x\',\nitems.map(token => token.trim())\n(password) => hash(password)\ntoken => token.trim()',
    // A proxy's headers that are no credential's, and a credential header passed on from a variable (nginx's, quoted or not) or cleared.
    'proxy_set_header Host $host;\nproxy_set_header X-Real-IP $remote_addr;\nproxy_set_header Authorization $http_authorization;\nproxy_set_header Cookie "$http_cookie";\nfastcgi_param HTTP_AUTHORIZATION $http_authorization;\nproxy_set_header Authorization "";\nadd_header X-Frame-Options DENY;\nadd_header Set-Cookie $auth_cookie always;',
    // A credentials file's path names no secret (mount.cifs's, Google's); a user in a form or a query is percent-encoded, and a template's `%u` names none.
    'mount -t cifs //h/s /mnt -o credentials=/root/.smbcred,vers=3.0\nmount -o vers=3.0,credentials=~/.smb/cred //h/s /mnt\nGOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/sa.json',
    'username=bob%40example.com&page=2 https://x/login?user=bob%40example.com user=%u,uid=%n',
    // docker's other members that end in a secret's word run into no secret's: an identity, a token's kind.
    '{"identity": "x", "serveraddress": "registry.example", "tokentype": "bearer"}',
    // A string value that names a credential header without one: no separator after the name.
    '{"msg":"Authorization header missing","status":401}\nmsg="Cookie jar empty" level=warn',
  ])('leaves %j as it is', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  /** base64 of LENGTH bytes of DER opening with HEAD (hex), the rest filler, wrapped at WIDTH as PEM (64) or base64 (76) wraps it: a body without its armour. */
  const wrapped = (head: string | Buffer, length: number, width = 64) => {
    const bytes = Buffer.alloc(length);
    const opening = typeof head === 'string' ? Buffer.from(head.replace(/ /g, ''), 'hex') : head;
    for (let at = 0; at < length; at++) bytes[at] = at < opening.length ? (opening[at] as number) : (at * 151 + 7) % 256;
    return bytes.toString('base64').replace(new RegExp(`.{${width}}`, 'g'), '$&\n').trimEnd();
  };
  const redactedLines = (body: string) => body.replace(/[^\n]+/g, '<redacted>');
  const PKCS8 = '30 82 02 77 02 01 00 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01 05 00 04 82 02 61';
  const CERTIFICATE = '30 82 01 f4 30 82 01 5d a0 03 02 01 02 02 14';

  it.each([
    ['PKCS#8', PKCS8, 635],
    ['PKCS#1 RSA', '30 82 02 5d 02 01 00 02 81 81 00', 609],
    ['SEC1 EC', '30 77 02 01 01 04 20', 121],
    ['encrypted PKCS#8', '30 82 02 dd 30 57 06 09 2a 86 48 86 f7 0d 01 05 0d 30 4a', 737],
    ['OpenSSH', Buffer.from('openssh-key-v1\0\0\0\0\x04none'), 400],
  ])('redacts a %s private key wrapped over lines with no armour around it, indented or not', (_kind, head, length) => {
    const body = wrapped(head, length);
    expect(redactSecrets(`the key was:\n${body}\nend`)).toBe(`the key was:\n${redactedLines(body)}\nend`);
    const indented = body.replace(/^/gm, '    ');
    expect(redactSecrets(`  tls.key: |\r\n${indented.replace(/\n/g, '\r\n')}\r\n  port: 443`)).toBe(`  tls.key: |\r\n${redactedLines(body).replace(/^/gm, '    ').replace(/\n/g, '\r\n')}\r\n  port: 443`);
  });

  it('redacts a private key pasted from its middle after a private key armour, and base64 output of a PEM key wrapped over lines whole', () => {
    const middle = wrapped(PKCS8, 635).split('\n').slice(4).join('\n');
    expect(redactSecrets(`key: -----BEGIN PRIVATE KEY----- (cut here)\nthe rest:\n${middle}`)).toBe(`key: -----BEGIN PRIVATE KEY----- <redacted> <redacted>\nthe rest:\n${redactedLines(middle)}`);
    const pem = (kind: string, body: string) => `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----\n`;
    for (const file of [pem('PRIVATE KEY', wrapped(PKCS8, 635)), pem('CERTIFICATE', wrapped(CERTIFICATE, 500)) + pem('RSA PRIVATE KEY', wrapped('30 82 02 5d 02 01 00 02 81 81 00', 609))]) {
      const base64 = wrapped(Buffer.from(file), file.length, 76);
      expect(redactSecrets(`$ base64 key.pem\n${base64}\n$ `)).toBe(`$ base64 key.pem\n${redactedLines(base64)}\n$ `);
    }
  });

  it.each([
    ['a certificate', wrapped(CERTIFICATE, 500)],
    ['a certificate request', wrapped('30 82 01 4b 30 81 b5 02 01 00 30 0c', 335)],
    ['a public key', wrapped('30 81 9f 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01 05 00 03 81 8d 00', 162)],
    ['an RSA public key', wrapped('30 81 89 02 81 81 00', 140)],
    ['a private key pasted from its middle, with no armour before it', wrapped(PKCS8, 635).split('\n').slice(4).join('\n')],
    ['a private key of two lines', wrapped('30 45 02 01 01 04 20', 71)],
    ['a certificate and an RSA public key after a private key armour', `-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n${wrapped(CERTIFICATE, 500)}\n\n${wrapped('30 82 01 0a 02 82 01 01 00', 270)}`],
    ['the middle of a key after a certificate armour, the last armour before it', `-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n${wrapped(PKCS8, 635).split('\n').slice(4).join('\n')}`],
    ["base64's output of a certificate", wrapped(Buffer.from(`-----BEGIN CERTIFICATE-----\n${wrapped(CERTIFICATE, 500)}\n-----END CERTIFICATE-----\n`), 740, 76)],
    ['hex digests after a private key armour', `-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n${['0', '1', '2', '3'].map((n) => `${'abcdef0123456789'.repeat(2)}abcdef012${n}`).join('\n')}`],
  ])('leaves %s wrapped over lines as it is', (_what, text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('leaves every fact the parsers read: each captured output gives the same facts redacted', () => {
    const root = join('test', 'fixtures', 'artifacts');
    let compared = 0;
    for (const kind of artifactKinds) {
      for (const file of readdirSync(join(root, kind))) {
        const text = readFileSync(join(root, kind, file), 'utf8');
        const facts = (t: string) => {
          try {
            return parseArtifact(kind, t, { now: new Date('2026-01-01T00:00:00Z') });
          } catch (error) {
            return String(error);
          }
        };
        expect(facts(redactSecrets(text)), `${kind}/${file}`).toEqual(facts(text));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(90);
  });

  it("redacts strace's HTTP headers and leaves the rest of the capture as it was", () => {
    const text = readFileSync(join('test', 'fixtures', 'artifacts', 'strace-t', 'curl.txt'), 'utf8');
    const changed = redactSecrets(text)
      .split('\n')
      .filter((line, at) => line !== text.split('\n')[at]);
    expect(changed).toEqual([
      String.raw`sendto(5, "GET /slow HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nAuthorization: <redacted> <redacted>\r\nCookie: <redacted> <redacted>\r\n\r\n", 214, MSG_NOSIGNAL, NULL, 0) = 214 <0.000099>`,
      String.raw`recvfrom(5, "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 18:07:00 GMT\r\nSet-Cookie: <redacted> <redacted> <redacted>\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nlate\n", 102400, 0, NULL, NULL) = 177 <0.000008>`,
    ]);
  });

  it('reads hostile text in linear time: megabytes of one word, of secret options, of URLs, of open quotes and headers', () => {
    for (const text of ['a'.repeat(1_000_000), '--password '.repeat(100_000), 'a://'.repeat(250_000), `${'x'.repeat(70)}=`.repeat(14_000), 'Authorization: '.repeat(60_000), `PASSWORD='${'x '.repeat(500_000)}`, '&password=k'.repeat(90_000), '-----BEGIN PRIVATE KEY-----\n'.repeat(30_000), `password=x${"'".repeat(1_000_000)}y`, `token: x${'"\''.repeat(500_000)}`, `{${'"password":"'.repeat(80_000)}`, `"a":"${'\\"'.repeat(400_000)}`]) {
      const started = cpuStopwatch();
      redactSecrets(text);
      expect(started.ms(), text.slice(0, 30)).toBeLessThan(5_000);
    }
  });

  it.each([
    ['escaped quotes', () => ['\\"'.repeat(500_000), `write(3, "${'\\"password\\":\\"'.repeat(60_000)}", 1)`, `\\"token\\": \\"${'\\\\\\"'.repeat(250_000)}`, `\\"a\\":\\"${'\\\\n\\\\\\"x'.repeat(125_000)}"`, `{"password": "${'\\"'.repeat(500_000)}`, `{"password": "x ${'\\\\\\"'.repeat(250_000)}`]],
    ['client options', () => ['mysql -pX '.repeat(100_000), `mysql ${'-p'.repeat(500_000)}`, 'redis-cli -a '.repeat(80_000), `${'a/'.repeat(500_000)}redis-cli -a x`, `redis-cli ${';'.repeat(1_000_000)}`]],
    ['other clients\' options', () => ['sshpass -p '.repeat(90_000), `${'docker '.repeat(140_000)}login -p x`, 'docker login -p '.repeat(60_000), 'curl -b'.repeat(140_000)]],
    ['tool variables', () => ['SSHPASS=x '.repeat(100_000), `${'SSHPASS'.repeat(150_000)}=x`, `{"Env":[${'"SSHPASS=x",'.repeat(80_000)}`, `{${'"identitytoken":"'.repeat(60_000)}`, `"${'registrytoken'.repeat(80_000)}":"x"`]],
    ['key names', () => ['SECRET_KEY_BASE=x '.repeat(55_000), `${'_KEY'.repeat(16)}=x `.repeat(14_000), 'a_secret_key_base_key: '.repeat(40_000)]],
    ['redis directives', () => ['requirepass '.repeat(85_000), 'requirepass\n'.repeat(85_000), `requirepass "${'a '.repeat(500_000)}`]],
    ['redis AUTH and sentinel passwords', () => ['127.0.0.1:6379> AUTH a\n'.repeat(45_000), 'AUTH '.repeat(200_000), '"AUTH" "'.repeat(120_000), 'sentinel auth-pass m '.repeat(50_000), 'redis-cli AUTH a b; '.repeat(50_000), `${'x:1>'.repeat(250_000)} AUTH k`]],
    ['redis replies and CONFIG SET', () => ['requirepass\nport 6379\n'.repeat(45_000), `requirepass\n${'\n'.repeat(1_000_000)}x`, '1) requirepass\n'.repeat(65_000), 'CONFIG SET requirepass '.repeat(45_000)]],
    ['XML entries', () => ['<a name="password" '.repeat(50_000), '<a '.repeat(330_000), `<a ${'name="token" '.repeat(80_000)}`]],
    ['XML entries\' values and text', () => ['<a name="token" value="'.repeat(40_000), '<p name="password">'.repeat(50_000), 'value="x"/><a name="token" '.repeat(35_000)]],
    ['connection strings', () => [';Password=a '.repeat(80_000), ';Password={'.repeat(90_000), 'x;Password="'.repeat(80_000), `;Pwd=${"'".repeat(1_000_000)}`]],
    ['connection strings\' spaced and first segments', () => ['"Server=h;Password = '.repeat(50_000), ';Password '.repeat(100_000), `"Password=${'a '.repeat(500_000)}`, '; Pwd= {'.repeat(120_000), `x;${'a'.repeat(1_000_000)}`]],
    ['a connection string\'s segment running on', () => [`Server=x;Password=a${' b'.repeat(500_000)}`]],
    ['YAML blocks', () => ['password: |\n'.repeat(80_000), `password: |\n${'  x\n'.repeat(250_000)}`, `password: |\n${' '.repeat(1_000_000)}x`]],
    ['YAML blocks of env entries and before comments', () => ['- name: DB_PASSWORD\n  value: |\n'.repeat(35_000), 'password: | #\n'.repeat(70_000)]],
    ['cookie lists', () => ['"cookies":['.repeat(90_000), '"cookies":[]'.repeat(85_000), '"cookies":["value":"'.repeat(50_000), `"cookies":["value"${' '.repeat(1_000_000)}:"x"]`, `"cookies": [{"value": "${'\\"'.repeat(500_000)}`]],
    ['single-quoted members', () => ["{'password':'".repeat(70_000), "'a':'x',".repeat(120_000), `{'password':'${"\\'".repeat(500_000)}`, `{'a':'b','token':'x${"\\".repeat(1_000_000)}`]],
    ['wrapped base64 lines', () => [`${'A'.repeat(64)}\n`.repeat(15_000), `-----BEGIN PRIVATE KEY----- x\n${`${'A'.repeat(64)}\n`.repeat(15_000)}`, `${'A'.repeat(64)}\n${'A'.repeat(64)}\nAAAA\n`.repeat(7_000), `${'MIIE'.repeat(16)}\n`.repeat(15_000), '-----BEGIN PRIVATE KEY-----\nA\n'.repeat(30_000), `${'\n'.repeat(500_000)}${' '.repeat(500_000)}`]],
    ['ldap clusters and Windows programs', () => [`ldapsearch -${'x'.repeat(1_000_000)}w`, 'ldappasswd -s -a '.repeat(60_000), `${'a\\'.repeat(500_000)}mysql.exe -px`, `${'.exe'.repeat(250_000)}`]],
    ['mongo and ldap options', () => ['mongosh -p '.repeat(90_000), 'mongosh -p -p '.repeat(70_000), 'ldapsearch -w '.repeat(70_000)]],
    ['SQL Server clients and PowerShell env drives', () => ['sqlcmd -P '.repeat(90_000), '$env:DB_PASSWORD='.repeat(55_000), '$env:$env:$env:'.repeat(70_000), `$env:${'A'.repeat(1_000_000)}=x`]],
    ['the commands sshpass runs', () => ['sshpass -f x ssh -p 1 '.repeat(45_000), `sshpass ${'-P '.repeat(330_000)}`]],
    ['URL credentials', () => ['a://x@'.repeat(160_000), `${'a'.repeat(39)}://${'x@/'.repeat(330_000)}`]],
    ['XML text over lines, CDATA and spaced attributes', () => [`<password>\n${'x\n'.repeat(500_000)}`, '<password><![CDATA['.repeat(50_000), `<password><![CDATA[${']]'.repeat(500_000)}`, `<password><![CDATA[${'] '.repeat(500_000)}`, '<a name = "password" value = "'.repeat(30_000), `<a ${'name = '.repeat(140_000)}`, '<a name="token" value = '.repeat(40_000), '<a name = "token" value = "x"/><a '.repeat(30_000)]],
    ['XML elements', () => ['<password>'.repeat(100_000), '<password>x '.repeat(80_000), `<password>${'x'.repeat(1_000_000)}`, `<${'a'.repeat(1_000_000)}`, '<a:'.repeat(330_000)]],
    ['private keys', () => [`"-----BEGIN PRIVATE KEY-----\\n${'A'.repeat(1_000_000)}`, '-----BEGIN '.repeat(90_000), '-----BEGIN PRIVATE KEY----- x '.repeat(33_000), `-----BEGIN PRIVATE KEY-----\n${'x '.repeat(500_000)}`, 'LS0tLS1CRUdJTi'.repeat(70_000), 'LS0tLS1CRUdJTi '.repeat(66_000)]],
    ['PGP armours', () => ['-----BEGIN PGP PRIVATE KEY '.repeat(37_000), '-----BEGIN PGP PRIVATE KEY BLOCK----- x '.repeat(25_000)]],
    ['base64 runs', () => ['UFJJVkFURSBL'.repeat(80_000), 'SVZBVEUgS0VZ.'.repeat(75_000), 'UklWQVRFIEt.'.repeat(80_000), `${'A'.repeat(1_000_000)}UklWQVRFIEtF`]],
    ['env entries', () => ['- name: X_PASSWORD\n'.repeat(100_000), 'name: '.repeat(85_000), '- name: X_PASSWORD\n  value: '.repeat(18_000), `{${'"name":"X_TOKEN","value":"'.repeat(40_000)}`, '"name":"Authorization","value":"'.repeat(30_000)]],
    ['escaped line breaks', () => ['\\r\\n'.repeat(250_000), `"${'\\'.repeat(1_000_000)}n`, '\\r'.repeat(500_000), `{"password":"x ${'a\\n'.repeat(330_000)}`]],
    ['headers opening string values', () => ['"a":"Authorization:'.repeat(55_000), `"a":"${'"Cookie'.repeat(150_000)}:x`, `a="Authorization: ${'b '.repeat(500_000)}`]],
    ['headers in strings', () => ['"\\r\\nAuthorization: x'.repeat(45_000), `"${'\\r\\nCookie: '.repeat(80_000)}`, `"x\\r\\nAuthorization: ${'a '.repeat(500_000)}`]],
    ['glued members', () => ['headers={"Authorization": '.repeat(38_000), 'x={"Authorization":'.repeat(50_000), `x={"${'a'.repeat(1_000_000)}":`]],
    ['env arrays and options', () => [`{"Env":[${'"DB_PASSWORD=x",'.repeat(60_000)}`, `["A=${'\\'.repeat(1_000_000)}`, `--from-literal=${'a'.repeat(1_000_000)}=x`, '--from-literal='.repeat(65_000)]],
    ['secrets closing in a later word', () => [`{"password":"a ${'b","password":"a '.repeat(60_000)}`, `{"password":"a b"${',"x":"y"'.repeat(120_000)}`, `<password>a ${'b</password><token>a '.repeat(50_000)}`, `{"password": ${'"k","token":"'.repeat(70_000)}`]],
    ['redis ACL rules', () => ['ACL SETUSER a '.repeat(70_000), `ACL SETUSER a ${'>x '.repeat(330_000)}`]],
    ['redis ACL rules quoted, in ACL files and in replies', () => [`ACL SETUSER a ">${'a '.repeat(500_000)}`, 'user a on >'.repeat(90_000), `1) "user a ${'#'.repeat(1_000_000)}`]],
    ['redis HELLO and MIGRATE', () => ['HELLO 3 AUTH '.repeat(75_000), `HELLO 3 ${'AUTH '.repeat(200_000)}`, 'MIGRATE h p k 0 5 AUTH2 '.repeat(40_000), '"MIGRATE" "AUTH" '.repeat(55_000)]],
    ['redis AUTH at a line\'s start', () => ['AUTH failed\n'.repeat(80_000), 'auth x\nOK\n'.repeat(100_000)]],
    ['XML entries named by elements and Spring values', () => ['<name>a.password</name>'.repeat(40_000), '<name>a.password</name><value>'.repeat(30_000), '<name>x.password</name>\n<value>x</value>\n'.repeat(25_000), '<property name="password"><value>'.repeat(30_000), `<name>${'a'.repeat(1_000_000)}`]],
    ['CDATA after its tag\'s line', () => [`<password>\n<![CDATA[${']]'.repeat(500_000)}`, '<password>\n<![CDATA[x\n'.repeat(45_000)]],
    ['doubled quotes in connection strings', () => [`;Password="${'""'.repeat(500_000)}`, `;Password=${'"'.repeat(1_000_000)}`, ';Pwd={}}'.repeat(120_000), 'x;Password="a""'.repeat(60_000)]],
    ['doubled quotes over words', () => [`;Password='${"'' ".repeat(330_000)}`, `Server=h; Password = "${'"" '.repeat(330_000)}`]],
    ['JDBC Oracle URLs', () => ['jdbc:oracle:thin:'.repeat(60_000), `jdbc:oracle:thin:${'a'.repeat(1_000_000)}`, 'jdbc:oracle:thin:a/'.repeat(50_000), `jdbc:oracle:thin:a/"${'x'.repeat(1_000_000)}`]],
    ['Oracle clients\' logons', () => ['sqlplus a/b@c '.repeat(70_000), `sqlplus ${'a/'.repeat(500_000)}`, 'SQL> connect '.repeat(80_000)]],
    ['credential headers in dumps', () => ['{Authorization: '.repeat(62_500), `{Authorization: ${'['.repeat(1_000_000)}`, `{Authorization: ${'x, '.repeat(333_000)}`, `{Authorization: ${','.repeat(1_000_000)}`, `{Authorization: x,${'a'.repeat(1_000_000)}`, 'x, Authorization: '.repeat(55_000), 'map[Cookie:['.repeat(83_000), `{Authorization=${'a=b, x='.repeat(125_000)}`]],
    ['header pairs and calls', () => ["('Authorization', ".repeat(55_000), `('Cookie', '${'a '.repeat(500_000)}`, "(b'cookie',".repeat(90_000), `x("Authorization",${'"'.repeat(1_000_000)}`, `(b'cookie', b${"'".repeat(1_000_000)}`, `${"('".repeat(500_000)}Cookie',x`]],
    ['PHP\'s dumps and arrow members', () => ['[password] => '.repeat(70_000), '["password"]=>\n'.repeat(70_000), '["password"]=>\nstring(1) "'.repeat(40_000), `[${'a'.repeat(1_000_000)}] => x`, `[password:${'x'.repeat(1_000_000)}] => x`, "'password' => '".repeat(60_000), `{${'"password"=>"'.repeat(80_000)}`, `[password] => ${'a '.repeat(500_000)}`, '[a:b:c:d:'.repeat(110_000)]],
    ['headers a proxy sets', () => ['proxy_set_header Authorization '.repeat(31_000), `proxy_set_header Authorization "${'a '.repeat(500_000)}`, 'add_header Set-Cookie $x '.repeat(40_000), `proxy_set_header Cookie $${'a'.repeat(1_000_000)}`, 'fastcgi_param '.repeat(70_000), `proxy_set_header Cookie "$${'"'.repeat(1_000_000)}`]],
    ['names glued to a dump\'s type', () => ['map['.repeat(250_000), `${'Header:map['.repeat(90_000)}Authorization:x`, `${'a:b('.repeat(250_000)}Password:x`, '&{Password:x '.repeat(80_000), `Config{${'a'.repeat(1_000_000)}`]],
    ['CGI header names', () => ['HTTP_AUTHORIZATION='.repeat(52_000), `HTTP_${'_'.repeat(1_000_000)}=x`, 'REDIRECT_HTTP_COOKIE: '.repeat(45_000)]],
    ['auth names and npm registry scopes', () => ['auth='.repeat(200_000), '--auth '.repeat(140_000), `//${'a'.repeat(1_000_000)}/:_auth=x`, '//a/:'.repeat(200_000), `//${'/:'.repeat(500_000)}`, `//${'a'.repeat(1_000_000)}`]],
    ['certificate passphrases and Samba users', () => [`curl --cert ${'\\'.repeat(1_000_000)}:x`, `curl --cert ${'\\:'.repeat(500_000)}`, 'curl -E '.repeat(125_000), 'curl --cert a:b '.repeat(62_500), `curl -E C:${'\\'.repeat(1_000_000)}`, 'smbclient -U a% '.repeat(62_500), `smbclient -U 'a%b ${'c '.repeat(500_000)}`, `smbclient -Ua${'%'.repeat(1_000_000)}`]],
    ['Samba users and credentials files in option lists', () => [',user=u%x'.repeat(100_000), `user=${'%'.repeat(1_000_000)}`, ',credentials=/a'.repeat(70_000), `credentials=/${'a/'.repeat(500_000)}`, `credentials=/${'a'.repeat(1_000_000)},x`, `username=${'a'.repeat(1_000_000)}%x`, 'user=a%b&'.repeat(110_000)]],
    ['option lists, fragments and SAS signatures', () => [',password=x'.repeat(90_000), '#access_token=x'.repeat(66_000), '&sig='.repeat(200_000), `${','.repeat(1_000_000)}=`, ',a='.repeat(333_000)]],
    ['.netrc entries and spaced identifiers', () => ['machine h password '.repeat(52_000), 'machine\n'.repeat(125_000), 'machine h\npassword x\n'.repeat(50_000), `machine h\n${'password x\n'.repeat(90_000)}`, 'set DB_PASSWORD '.repeat(62_500), 'AWS_SECRET_ACCESS_KEY k\n'.repeat(42_000), 'DB_PASSWORD '.repeat(83_000), 'default login '.repeat(71_000)]],
    ['.ppk private lines', () => ['Private-Lines: 9999\n'.repeat(50_000), `Private-Lines: 9999\n${'AAAA\n'.repeat(200_000)}`, 'Private-Lines: 1\nAAAA\n'.repeat(45_000), `Private-Lines: 9999\n${'A'.repeat(1_000_000)}`]],
  ])('reads hostile text of %s in linear time', (_form, shapes) => {
    // Each megabyte on its own: a quadratic pattern takes minutes on one, while a shared bound
    // over a batch failed on a busy machine with every shape linear.
    for (const [i, text] of shapes().entries()) {
      const started = cpuStopwatch();
      redactSecrets(text);
      expect(started.ms(), `shape ${i}`).toBeLessThan(5_000);
    }
  });
});
