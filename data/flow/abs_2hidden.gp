# Renders abs_2hidden.svg from abs_2hidden.csv (run here: gnuplot abs_2hidden.gp)
set terminal svg size 1000,460 dynamic enhanced font 'sans,12' background '#ffffff'
set output 'abs_2hidden.svg'
set datafile separator ','
set key top right
set multiplot layout 1,2 title 'gradient descent on abs_2hidden, eta 1/10' noenhanced
set logscale y
set xlabel 'step'
set ylabel 'loss'
set title 'loss'
plot 'abs_2hidden.csv' using 1:2 skip 1 with lines lw 2 title 'init_obstructed' noenhanced, 'abs_2hidden.csv' using 1:5 skip 1 with lines lw 2 title 'init_good' noenhanced
unset logscale y
set ylabel 'c_k = |w_k|^2 + b_k^2 - |a_k|^2'
set title 'invariants (constant under gradient flow)'
plot 'abs_2hidden.csv' using 1:3 skip 1 with lines lw 2 dt 1 title 'init_obstructed: c0' noenhanced, 'abs_2hidden.csv' using 1:4 skip 1 with lines lw 2 dt 1 title 'init_obstructed: c1' noenhanced, 'abs_2hidden.csv' using 1:6 skip 1 with lines lw 2 dt 2 title 'init_good: c0' noenhanced, 'abs_2hidden.csv' using 1:7 skip 1 with lines lw 2 dt 2 title 'init_good: c1' noenhanced
unset multiplot
