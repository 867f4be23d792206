package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.Optional;
import org.agrifusion.pipelines.sink.extract.ExtractWriter;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** Step extract: every department extract for the period the business date falls in, at the run's publication. */
class ExtractTasklet implements Tasklet {

  private final DepartmentExtracts extracts;

  ExtractTasklet(DepartmentExtracts extracts) {
    this.extracts = extracts;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    String runId = String.valueOf(context.getStepContext().getStepExecution().getJobExecutionId());
    long total = 0;
    org.agrifusion.pipelines.lake.Snapshots pins = LakeCommits.published(context);
    for (ExtractWriter.Manifest manifest : extracts.select(Optional.empty()).stream().map(s -> extracts.write(s, date, pins, runId)).toList()) {
      total += manifest.rows();
      StepFigures.detail(context, manifest.extractId(),
          manifest.rows() + " rows -> " + extracts.folder(manifest.extractId()) + "/" + manifest.period());
    }
    StepFigures.record(contribution, total, total, 0);
    return RepeatStatus.FINISHED;
  }
}
