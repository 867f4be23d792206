package org.agrifusion.pipelines.spark;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs how far a long piece of work has got, every {@value #INTERVAL} seconds (30 by default):
 * rows processed (records read from files and shuffles), the rate, the running stages' tasks and
 * an ETA for them. A piece of work is what the job description names ("standardise 2021-12-07");
 * work that ends within one interval logs nothing. Registered through {@code spark.extraListeners}
 * so it works under spark-submit too. The ETA is the running stages' elapsed time scaled by their
 * remaining tasks: rough, but honest about being about the current stage.
 */
public final class ProgressListener extends SparkListener {

  public static final String INTERVAL = "spark.agri.progress.intervalSeconds";
  private static final Logger log = LoggerFactory.getLogger(ProgressListener.class);

  private record Stage(int tasks, long startedNanos, AtomicLong done) {}

  private final Map<Integer, Stage> running = new ConcurrentHashMap<>();
  private final AtomicLong rows = new AtomicLong();
  private final long intervalNanos;
  private final ScheduledExecutorService ticker;
  private volatile String work;
  private volatile long workStartedNanos;

  public ProgressListener(SparkConf conf) {
    long seconds = conf.getLong(INTERVAL, 30);
    intervalNanos = TimeUnit.SECONDS.toNanos(seconds);
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "agri-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::report, seconds, seconds, TimeUnit.SECONDS);
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String description = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
    String name = description == null ? "spark job " + job.jobId() : description;
    if (!name.equals(work)) {
      work = name;
      workStartedNanos = System.nanoTime();
      rows.set(0);
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    running.put(submitted.stageInfo().stageId(),
        new Stage(submitted.stageInfo().numTasks(), System.nanoTime(), new AtomicLong()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    Stage stage = running.get(task.stageId());
    if (stage != null) {
      stage.done().incrementAndGet();
    }
    TaskMetrics metrics = task.taskMetrics();
    if (metrics != null) {
      rows.addAndGet(metrics.inputMetrics().recordsRead() + metrics.shuffleReadMetrics().recordsRead());
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    running.remove(completed.stageInfo().stageId());
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    ticker.shutdownNow();
  }

  private void report() {
    long now = System.nanoTime();
    if (work == null || running.isEmpty() || now - workStartedNanos < intervalNanos) {
      return;
    }
    int tasks = 0;
    long done = 0;
    long etaNanos = 0;
    for (Stage stage : running.values()) {
      tasks += stage.tasks();
      long finished = stage.done().get();
      done += finished;
      if (finished > 0) {
        etaNanos = Math.max(etaNanos, (now - stage.startedNanos()) * (stage.tasks() - finished) / finished);
      }
    }
    double seconds = (now - workStartedNanos) / 1e9;
    log.info("{}: {} rows in {}, {} rows/s; running stages {}/{} tasks, ETA {}", work, String.format("%,d", rows.get()),
        human(Duration.ofNanos(now - workStartedNanos)), String.format("%,.0f", rows.get() / seconds), done, tasks,
        done == 0 ? "unknown yet" : human(Duration.ofNanos(etaNanos)));
  }

  static String human(Duration d) {
    return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
        : d.toMinutes() > 0 ? String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart())
        : d.toSeconds() + "s";
  }
}
