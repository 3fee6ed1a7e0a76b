from tqdm import tqdm


def progress_bar(command, total, description, verbosity):
    """A progress bar on the command's standard error; silent with --verbosity 0."""
    return tqdm(
        total=total,
        desc=description,
        unit="record",
        disable=verbosity == 0,
        file=command.stderr._out,
    )
