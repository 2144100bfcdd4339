from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from accounts import roles
from rjcases.models import Case


@login_required
def dashboard(request):
    """The page after sign-in: what needs this user's attention, by role."""
    cases = Case.objects.visible_to(request.user)
    context = {
        "page_title": "Dashboard",
        "open_count": cases.exclude(state=Case.State.CLOSED).count(),
        "role": roles.primary_role(request.user),
    }
    return render(request, "rjcases/dashboard.html", context)


@login_required
def case_list(request):
    cases = Case.objects.visible_to(request.user).select_related("route")[:50]
    return render(request, "rjcases/case_list.html", {"page_title": "Cases", "cases": cases})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"page_title": "You do not have access"}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def server_error(request):
    # Rendered without a request: no context processor may touch a database that may be the problem.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
