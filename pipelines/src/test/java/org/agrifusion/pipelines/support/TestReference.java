package org.agrifusion.pipelines.support;

import java.nio.file.Path;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;

/** The reference data and descriptors the project ships, so tests check what production runs with. */
public final class TestReference {

  public static final ReferenceData SHIPPED = ReferenceData.load(Path.of("../conf/reference"));

  private TestReference() {}

  public static SourceDescriptor descriptor(String id) {
    return SourceDescriptors.load(Path.of("../conf/sources/" + id + ".yml"));
  }
}
