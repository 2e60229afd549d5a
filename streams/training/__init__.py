"""Training and evaluation of factstream's learned components (training needs the ``train`` extra).

:mod:`.judge_data` builds the labelled claim pairs (public sets in ``../shared/data`` and pairs
made from real news); :mod:`.judge` fine-tunes the pair model, exports it and fits the combiner;
:mod:`.evaluate` prints precision, recall and F1 per held-out set; :mod:`.checkworthiness` trains
the check-worthiness model.
"""
