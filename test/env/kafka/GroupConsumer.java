import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer-group member from Kafka's own Java client, for the tests: kafkajs can only join
 * groups with the classic protocol, so groups on the KIP-848 `consumer` protocol are created
 * with this one. Run as a single source file:
 *   java -cp '<jarDir>/*' GroupConsumer.java <brokers> <group> <topic> <maxRecords> <protocol>
 * Consumes and commits up to maxRecords records, one commit per record (then pauses but keeps
 * polling, so the member stays in the group), prints "consumed <n>" after each commit and exits when stdin closes.
 */
public class GroupConsumer {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("group.id", args[1]);
    p.put("group.protocol", args[4]);
    p.put("enable.auto.commit", "false");
    p.put("max.poll.records", "1");
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    long max = Long.parseLong(args[3]);
    long consumed = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      // stdin closing means "leave": wake the poll loop so that close() leaves the group at once
      // (a killed member would linger until its session times out).
      Thread stdinWatch = new Thread(() -> {
        try { while (System.in.read() >= 0) { } } catch (Exception e) { }
        c.wakeup();
      });
      stdinWatch.setDaemon(true);
      stdinWatch.start();
      c.subscribe(List.of(args[2]));
      while (true) {
        if (consumed >= max) c.pause(c.assignment());
        ConsumerRecords<byte[], byte[]> recs = c.poll(Duration.ofMillis(200));
        // max.poll.records=1: each record is committed on its own, so the committed offset is
        // exactly the number of records taken (per partition).
        for (var r : recs) {
          var tp = new TopicPartition(r.topic(), r.partition());
          c.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
          consumed++;
        }
        if (recs.count() > 0) {
          System.out.println("consumed " + consumed);
          System.out.flush();
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      System.out.println("left");
    }
  }
}
