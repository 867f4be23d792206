import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Copies a local file, or a folder's files, to a Hadoop URI (hdfs://, s3a://), replacing what is
 * there: a folder's contents land under the target whether it exists or not. Each file is written
 * through FileSystem.create, as the job writes: FsShell -put needs a parent "directory" first,
 * which object stores do not have, and s3a's copyFromLocal goes through the transfer manager,
 * whose signed uploads s3proxy 2.6.0 rejects (XAmzContentSHA256Mismatch). Run by hdfs.sh and
 * s3.sh put with their part's jars and core-site.xml on the class path (java's source launcher).
 */
public class Put {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Put <local-file-or-folder> <uri>");
      System.exit(2);
    }
    Path target = new Path(args[1]);
    FileSystem fs = target.getFileSystem(new Configuration());
    System.out.println("copied " + copy(fs, new File(args[0]), target) + " files from " + args[0] + " to " + target);
  }

  static int copy(FileSystem fs, File source, Path target) throws Exception {
    File[] children = source.listFiles();
    if (children == null) {
      try (InputStream in = new FileInputStream(source); OutputStream out = fs.create(target, true)) {
        in.transferTo(out);
      }
      return 1;
    }
    int files = 0;
    for (File child : children) {
      files += copy(fs, child, new Path(target, child.getName()));
    }
    return files;
  }
}
