"""How an API view reads its input: one call instead of building, checking and unpacking an
input serializer in every view."""


def validated(serializer_class, request, **kwargs) -> dict:
    """The request body checked by `serializer_class` (kwargs: its context, partial...): a copy of
    its validated data, which the view may pop from. Invalid input raises the serializer's
    ValidationError, which the API error handler turns into a 400."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
