import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The JDK's own readers as test oracles: `java Oracle.java properties|manifest FILE...` prints,
 * per file, one line of tab-separated key=value pairs with keys and values hex-encoded (UTF-8),
 * or ERROR when the JDK refuses the file.
 */
public class Oracle {
  public static void main(String[] args) throws Exception {
    for (int i = 1; i < args.length; i++) {
      try (InputStream in = new FileInputStream(args[i])) {
        Map<String, String> out = new TreeMap<>();
        if (args[0].equals("properties")) {
          Properties p = new Properties();
          p.load(in);
          for (String k : p.stringPropertyNames()) out.put(k, p.getProperty(k));
        } else {
          Attributes main = new Manifest(in).getMainAttributes();
          for (Map.Entry<Object, Object> e : main.entrySet())
            out.put(e.getKey().toString().toLowerCase(), e.getValue().toString());
        }
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> e : out.entrySet())
          line.append(hex(e.getKey())).append('=').append(hex(e.getValue())).append('\t');
        System.out.println(line);
      } catch (Exception e) {
        System.out.println("ERROR");
      }
    }
  }

  static String hex(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) b.append(String.format("%02x", x));
    return b.toString();
  }
}
