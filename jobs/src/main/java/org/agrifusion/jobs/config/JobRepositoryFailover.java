package org.agrifusion.jobs.config;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Lets several agri processes share the embedded H2 job repository (a scheduler, a manual run,
 * {@code status}). With {@code AUTO_SERVER=TRUE} the first process to open the file serves it to the
 * others; when that process stops, H2 closes the database and the others' connections break until
 * one of them reopens the file and serves it in turn (H2's automatic failover). Every job repository
 * call is one short transaction, so a call that meets a broken or closed connection is simply made
 * again on a fresh connection (the pool validates it), for up to a minute; a dead PostgreSQL
 * connection heals the same way. Calls made inside a JDBC transaction that someone else opened are
 * not retried alone: the whole transaction would have to be.
 */
@Component
public class JobRepositoryFailover implements BeanPostProcessor {

  private static final Logger log = LoggerFactory.getLogger(JobRepositoryFailover.class);
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private final ObjectProvider<DataSource> dataSource;

  JobRepositoryFailover(ObjectProvider<DataSource> dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof JobRepository)) {
      return bean;
    }
    RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
        .predicate(JobRepositoryFailover::connectionLost)
        .maxRetries(Long.MAX_VALUE).timeout(PATIENCE)
        .delay(Duration.ofMillis(700)).multiplier(1.5).maxDelay(Duration.ofSeconds(5))
        .build());
    ProxyFactory proxy = new ProxyFactory(bean);
    proxy.addInterface(JobRepository.class);
    proxy.addAdvice((MethodInterceptor) invocation -> {
      if (TransactionSynchronizationManager.hasResource(dataSource.getObject())) {
        return invocation.proceed();
      }
      try {
        return retry.execute(() -> {
          try {
            return invocation.getMethod().invoke(bean, invocation.getArguments());
          } catch (java.lang.reflect.InvocationTargetException e) {
            if (connectionLost(e.getCause())) {
              log.warn("job repository connection lost ({}); trying again", e.getCause().getMessage());
            }
            throw e.getCause();
          }
        });
      } catch (RetryException e) {
        throw e.getCause();
      }
    });
    return proxy.getProxy(getClass().getClassLoader());
  }

  /** A broken, closed or unobtainable connection, as opposed to an error of the statement itself. */
  public static boolean connectionLost(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLNonTransientConnectionException || c instanceof SQLTransientConnectionException) {
        return true;
      }
      if (c instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }
}
