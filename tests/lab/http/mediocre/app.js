var y = 2;
