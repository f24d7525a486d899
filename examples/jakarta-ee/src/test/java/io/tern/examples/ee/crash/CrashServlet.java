package io.tern.examples.ee.crash;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /crash/send?queue=Q&id=ID}: {@link CrashingSender#sendThenCrash}; it answers only if it failed. */
@WebServlet("/send")
public class CrashServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private CrashingSender sender;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            sender.sendThenCrash(request.getParameter("queue"), request.getParameter("id"));
            response.sendError(500, "the server is still running: the halting branch was not committed");
        } catch (Exception e) {
            response.sendError(500, "sendThenCrash failed: " + e);
        }
    }
}
