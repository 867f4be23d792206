package org.agrifusion.jobs.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * /extracts: the user's departments' extracts by period, and their files for download. Which
 * department may read what is decided here, per request ({@link PortalExtracts#file}).
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ExtractsController {

  private final PortalExtracts extracts;

  ExtractsController(PortalExtracts extracts) {
    this.extracts = extracts;
  }

  @GetMapping("/extracts")
  String list(Authentication auth, Model model) {
    model.addAttribute("extracts", extracts.visibleTo(Departments.of(auth)));
    return "extracts";
  }

  /** Streams one file of an issued period as an attachment; its SHA-256 (from the manifest) goes in a header too. */
  @GetMapping("/extracts/{id}/{period}/{file}")
  void download(@PathVariable String id, @PathVariable String period, @PathVariable String file, Authentication auth,
      HttpServletResponse response) throws IOException {
    PortalExtracts.DeliveredFile delivered = extracts.file(id, period, file, Departments.of(auth));
    response.setContentType(file.endsWith(".json") ? "application/json" : "application/octet-stream");
    response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment().filename(delivered.name(), StandardCharsets.UTF_8).build().toString());
    response.setContentLengthLong(delivered.bytes());
    delivered.sha256().ifPresent(sha -> response.setHeader("X-Checksum-SHA256", sha));
    try (InputStream in = extracts.fileSystem(delivered.path()).open(delivered.path());
        OutputStream out = response.getOutputStream()) {
      in.transferTo(out);
    }
  }
}
