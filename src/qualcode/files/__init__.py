"""Files read or written as untrusted: outputs, archives (zip members) and folders.

Every command reads its inputs and writes its outputs through these few functions,
so that the same rules hold everywhere (see each module's docstring).
"""
