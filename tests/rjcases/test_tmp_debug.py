from accounts.models import User

def test_x(request):
    m = request.getfixturevalue("manager")
